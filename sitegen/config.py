"""site_data.yaml → validated Settings (the only reader of that file)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from sitegen.errors import BuildFailed, Diagnostics, Problem
from sitegen.fields import FieldReader
from sitegen.model import GENERATED_FOLDERS, SECTION_KINDS, Agency, MenuItem, Section, Settings, SocialLink
from sitegen.publish_config import read_publish
from sitegen.records_config import read_records
from sitegen.records_model import Records
from sitegen.sources import read_source_text
from sitegen.text import slugify
from sitegen.yamlsource import YamlMap, YamlSyntaxError, load_yaml

CONFIG_FILE = "site_data.yaml"
_URL = re.compile(r"^https?://[^\s/]+(/[^\s]*)?$")
_EMAIL = re.compile(r"^[^\s@]+@[^\s@]+\.[^\s@]+$")
_TOP_KEYS = {"site", "agency", "sections", "pages_folder", "menu", "social", "records", "publish"}


def load_settings(root: Path, diagnostics: Diagnostics, base_url: str | None = None,
                  records_later: bool = False) -> Settings:
    """Read and validate site_data.yaml; raise BuildFailed with every problem found.

    With `records_later`, mistakes in `records:` do not stop here: they are in `diagnostics` when the
    settings are returned, so a build goes on to report the posts' mistakes in the same run.
    """
    path = root / CONFIG_FILE
    if not path.is_file():
        raise BuildFailed([Problem(CONFIG_FILE, None,
                                   "không tìm thấy tệp cấu hình site_data.yaml ở thư mục dự án")])
    text = read_source_text(path, CONFIG_FILE)
    try:
        data = load_yaml(text, CONFIG_FILE)
    except YamlSyntaxError as error:
        raise BuildFailed([error.problem]) from None
    if not isinstance(data, YamlMap):
        raise BuildFailed([Problem(CONFIG_FILE, 1, "tệp phải là một nhóm các mục 'tên: giá trị'")])
    top = FieldReader(data, CONFIG_FILE, diagnostics)
    top.warn_unknown(_TOP_KEYS)
    deferred = Diagnostics()
    records = read_records(FieldReader(data, CONFIG_FILE, deferred if records_later else diagnostics)
                           .child("records"))
    settings = _read_settings(top, diagnostics, base_url, records)
    diagnostics.stop_if_failed()
    diagnostics.add(deferred.problems)
    return settings


def _read_settings(top: FieldReader, diagnostics: Diagnostics, base_url: str | None, records: Records) -> Settings:
    site = top.child("site", required=True) or _empty(top)
    site.warn_unknown({"title", "short_title", "description", "base_url", "per_page", "home_latest"})
    title = site.text("title", required=True)
    configured_url = site.text("base_url", required=base_url is None)
    url = normalise_base_url(base_url or configured_url)
    if url is None:
        where = "--base-url" if base_url else CONFIG_FILE
        line = None if base_url else site.line("base_url")
        diagnostics.error(where, line, "địa chỉ gốc (base_url) phải là địa chỉ web đầy đủ, "
                                       "ví dụ https://thanhtra.example.gov.vn/vi-nguoi-ngheo/")
        url = "https://example.invalid/"
    sections = _read_sections(top, diagnostics)
    pages_folder = top.text("pages_folder", default="trang")
    if not pages_folder:
        diagnostics.error(CONFIG_FILE, top.line("pages_folder"),
                          "'pages_folder' để trống; hãy ghi tên thư mục trong content/ chứa các trang riêng "
                          "(giới thiệu, liên hệ…), ví dụ pages_folder: trang")
    elif slugify(pages_folder) != pages_folder or any(s.id == pages_folder for s in sections):
        diagnostics.error(CONFIG_FILE, top.line("pages_folder"),
                          f"'pages_folder' ('{pages_folder}') phải viết thường, không dấu và khác mã các "
                          f"chuyên mục")
    return Settings(
        title=title,
        short_title=site.text("short_title") or title,
        description=site.text("description"),
        base_url=url,
        per_page=site.integer("per_page", default=10, minimum=1, maximum=100),
        home_latest=site.integer("home_latest", default=6, minimum=1, maximum=50),
        agency=_read_agency(top),
        sections=sections,
        pages_folder=pages_folder,
        menu=_read_menu(top, diagnostics, sections),
        social=_read_social(top, diagnostics),
        records=records,
        publish=read_publish(top.child("publish")),
    )


def _empty(top: FieldReader) -> FieldReader:
    """A reader over nothing that reports nothing (its parent already said it is missing)."""
    return FieldReader(YamlMap(), top.path, Diagnostics())


_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def normalise_base_url(url: str) -> str | None:
    """An absolute http(s) address with a real host, no query or fragment, ending in "/"; else None."""
    url = url.strip()
    if not _URL.match(url) or "?" in url or "#" in url or "@" in url.split("/", 3)[2]:
        return None
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").encode("idna").decode("ascii")
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except (ValueError, UnicodeError):
        return None
    labels = host.split(".")
    named = len(labels) >= 2 and all(_HOST_LABEL.match(label) for label in labels) and not labels[-1].isdigit()
    numeric = len(labels) == 4 and all(label.isdigit() and int(label) < 256 for label in labels)
    if not (named or numeric or host == "localhost"):
        return None
    return url if url.endswith("/") else url + "/"


def _read_agency(top: FieldReader) -> Agency:
    agency = top.child("agency", required=True) or _empty(top)
    agency.warn_unknown({"name", "parent", "place", "address", "phone", "email", "website"})
    website = agency.text("website")
    if website and not _URL.match(website):
        agency.diagnostics.error(CONFIG_FILE, agency.line("website"),
                                 f"'agency.website' ('{website}') phải là địa chỉ web bắt đầu bằng https://")
        website = ""
    email = agency.text("email")
    if email and not _EMAIL.match(email):
        agency.diagnostics.error(CONFIG_FILE, agency.line("email"), f"'agency.email' ('{email}') không phải "
                                                                     f"địa chỉ thư điện tử")
        email = ""
    return Agency(
        name=agency.text("name", required=True),
        parent=agency.text("parent"),
        place=agency.text("place"),
        address=agency.text("address"),
        phone=agency.text("phone"),
        email=email,
        website=website,
    )


def _read_sections(top: FieldReader, diagnostics: Diagnostics) -> tuple[Section, ...]:
    sections: list[Section] = []
    for index, item in top.mapping_list("sections"):
        field = FieldReader(item, top.path, diagnostics, f"sections[{index + 1}]")
        field.warn_unknown({"id", "title", "description", "menu", "kind"})
        section_id = field.text("id", required=True)
        if section_id and slugify(section_id) != section_id:
            diagnostics.error(top.path, field.line("id"),
                              f"mã chuyên mục '{section_id}' phải viết thường, không dấu, nối bằng "
                              f"'-' (ví dụ '{slugify(section_id) or 'tin-hoat-dong'}'), "
                              f"trùng tên thư mục trong content/")
        if section_id in GENERATED_FOLDERS:
            diagnostics.error(top.path, field.line("id"),
                              f"mã chuyên mục '{section_id}' trùng thư mục {GENERATED_FOLDERS[section_id]} "
                              f"mà trình tạo trang tự sinh; hãy chọn mã khác")
        if any(s.id == section_id for s in sections):
            diagnostics.error(top.path, field.line("id"), f"chuyên mục '{section_id}' bị khai báo hai lần")
        kind = field.text("kind", default="posts")
        if kind not in SECTION_KINDS:
            diagnostics.error(top.path, field.line("kind"),
                              f"loại chuyên mục '{kind}' không có; chọn một trong: "
                              + ", ".join(f"{key} ({label})" for key, label in SECTION_KINDS.items()))
            kind = "posts"
        sections.append(Section(section_id, field.text("title", required=True),
                                field.text("description"), field.flag("menu", default=True), kind))
    if not sections and "sections" not in top.mapping:
        diagnostics.error(top.path, None, "thiếu mục bắt buộc 'sections' (danh sách chuyên mục)")
    return tuple(sections)


def _read_menu(top: FieldReader, diagnostics: Diagnostics,
               sections: tuple[Section, ...]) -> tuple[MenuItem, ...]:
    if "menu" not in top.mapping:
        items = [MenuItem("Trang chủ", "", False)]
        items += [MenuItem(s.title, f"{s.id}/", False) for s in sections if s.in_menu]
        return tuple(items)
    menu: list[MenuItem] = []
    for index, item in top.mapping_list("menu"):
        field = FieldReader(item, top.path, diagnostics, f"menu[{index + 1}]")
        field.warn_unknown({"title", "link"})
        title = field.text("title", required=True)
        link = field.text("link", required=True)
        if link.startswith(("http://", "https://")):
            menu.append(MenuItem(title, link, True, field.line("link")))
        elif link.startswith("/"):
            target = link.lstrip("/")
            if target and not target.endswith("/") and "." not in target.rsplit("/", 1)[-1] and "#" not in target:
                target += "/"  # "/gioi-thieu" means the page "/gioi-thieu/"
            menu.append(MenuItem(title, target, False, field.line("link")))
        elif link:
            diagnostics.error(top.path, field.line("link"),
                              f"liên kết menu '{link}' phải bắt đầu bằng '/' (trang trong site, "
                              f"ví dụ /tin-hoat-dong/) hoặc https:// (trang ngoài)")
    return tuple(menu)


def _read_social(top: FieldReader, diagnostics: Diagnostics) -> tuple[SocialLink, ...]:
    links: list[SocialLink] = []
    for index, item in top.mapping_list("social"):
        field = FieldReader(item, top.path, diagnostics, f"social[{index + 1}]")
        field.warn_unknown({"name", "url"})
        url = field.text("url", required=True)
        if url and not (url.startswith("https://") and _URL.match(url)):
            diagnostics.error(top.path, field.line("url"), f"địa chỉ '{url}' phải bắt đầu bằng https://")
        links.append(SocialLink(field.text("name", required=True), url))
    return tuple(links)
