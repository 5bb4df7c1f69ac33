"""The Jinja environment, filters and per-document rendering (the only importer of `jinja2`)."""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import jinja2

from sitegen.assets import AssetManifest
from sitegen.charts import result_charts
from sitegen.errors import Diagnostics
from sitegen.images import ImageCatalog
from sitegen.model import Listing, Page, Site
from sitegen.records import Results
from sitegen.records_model import Review
from sitegen.routes import attachment_path
from sitegen.search import SEARCH_DIR
from sitegen.text import (
    collation_key,
    format_date_long,
    format_date_short,
    format_file_size,
    format_iso,
    format_money,
    format_number,
)
from sitegen.urls import absolute_url, base_path, quote_path, relative_url

TEMPLATES_DIR = "templates"
RESULTS_DIR = "ket-qua"
REPORTS_DIR = "bao-cao"


@dataclass(frozen=True)
class Document:
    """One output file to render: its site path, template and what the template receives."""

    path: str  # "tin-hoat-dong/x/" (written as index.html) or "404.html"
    template: str
    page: Page | None = None
    listing: Listing | None = None
    review: Review | None = None
    root_relative: bool = False  # links from the site root (404 is served at any depth)


@dataclass(frozen=True)
class Linker:
    """URL helpers bound to the document being rendered."""

    document: Document
    base_url: str
    assets: AssetManifest
    diagnostics: Diagnostics

    def url(self, target: str) -> str:
        """Link to a site path ("tin-hoat-dong/", "" for home) from this document."""
        target = quote_path(target.lstrip("/"))
        if self.document.root_relative:
            return base_path(self.base_url) + target
        return relative_url(self.document.path, target)

    def absolute(self, target: str) -> str:
        """Absolute URL (canonical links, sharing)."""
        return absolute_url(self.base_url, quote_path(target.lstrip("/")))

    def absolute_asset(self, name: str) -> str:
        """Absolute URL of a file of templates/static (for sharing images)."""
        site_path = self.assets.site_path(name)
        if site_path is None:
            raise MissingAssetError(name)
        return self.absolute(site_path)

    def asset(self, name: str) -> str:
        """Link to a file of templates/static by its plain name, e.g. "css/site.css"."""
        site_path = self.assets.site_path(name)
        if site_path is None:
            raise MissingAssetError(name)
        return self.url(site_path)


class MissingAssetError(Exception):
    """A template asked for a file that templates/static/ does not have."""


def make_environment(root: Path) -> jinja2.Environment:
    """Autoescaping, strict Jinja environment with the Vietnamese filters."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(root / TEMPLATES_DIR, encoding="utf-8-sig"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters.update({
        "date_long": format_date_long,
        "date_short": format_date_short,
        "iso": format_iso,
        "number": format_number,
        "money": format_money,
        "filesize": format_file_size,
        "urlquote": lambda text: quote(str(text), safe=""),
        "collate": lambda items: sorted(items, key=collation_key),
    })
    return environment


def render_documents(root: Path, site: Site, results: Results, documents: list[Document],
                     assets: AssetManifest, images: ImageCatalog, diagnostics: Diagnostics) -> dict[str, bytes]:
    """Render every document; template errors are collected with template name and line."""
    environment = make_environment(root)
    charts = result_charts(results)
    rendered: dict[str, bytes] = {}
    seen: set[tuple[str, int | None, str]] = set()
    for document in documents:
        linker = Linker(document, site.settings.base_url, assets, diagnostics)
        try:
            template = environment.get_template(document.template)
            text = template.render(
                site=site, settings=site.settings, page=document.page, listing=document.listing,
                review=document.review, results=results, charts=charts, image_info=images.get,
                attachment=attachment_path,
                current_path=document.path, url=linker.url, absolute_url=linker.absolute,
                asset=linker.asset, absolute_asset=linker.absolute_asset,
            )
        except Exception as error:
            problem = _template_problem(error, document.template)
            if problem not in seen:
                seen.add(problem)
                diagnostics.error(*problem)
            continue
        rendered[document.path] = text.encode("utf-8")
    return rendered


def _template_problem(error: Exception, template: str) -> tuple[str, int | None, str]:
    """Where in which template the error is, in Vietnamese."""
    if isinstance(error, jinja2.TemplateSyntaxError):
        name = error.name or template
        return (f"{TEMPLATES_DIR}/{name}", error.lineno,
                f"cú pháp mẫu Jinja không hợp lệ (chi tiết kỹ thuật: {error.message})")
    if isinstance(error, jinja2.TemplateNotFound):
        return (f"{TEMPLATES_DIR}/{error.name}", None, "không tìm thấy tệp mẫu này trong templates/")
    name, line = _template_frame(error)
    if isinstance(error, jinja2.UndefinedError):
        message = f"mẫu dùng biến hoặc thuộc tính không tồn tại (chi tiết kỹ thuật: {error.message})"
    elif isinstance(error, MissingAssetError):
        message = f"mẫu dùng tệp giao diện '{error}' nhưng templates/static/ không có tệp này"
    elif isinstance(error, UnicodeDecodeError):
        return (f"{TEMPLATES_DIR}/{template}", None, "tệp mẫu không phải UTF-8; hãy lưu lại dạng UTF-8")
    else:
        message = f"lỗi khi dựng mẫu (chi tiết kỹ thuật: {type(error).__name__}: {error})"
    return (f"{TEMPLATES_DIR}/{name or template}", line, message)


def _template_frame(error: BaseException) -> tuple[str | None, int | None]:
    """The innermost template file and line in the traceback Jinja rewrote for us."""
    found: tuple[str | None, int | None] = (None, None)
    for frame in traceback.extract_tb(error.__traceback__):
        filename = Path(frame.filename)
        if TEMPLATES_DIR in filename.parts and filename.suffix in {".html", ".xml", ".txt", ".j2"}:
            index = len(filename.parts) - 1 - filename.parts[::-1].index(TEMPLATES_DIR)
            found = ("/".join(filename.parts[index + 1:]), frame.lineno)
    return found


def _post_template(page: Page) -> str:
    if page.profile is not None:
        return "profile.html"
    return "document.html" if page.document is not None else "post.html"


def documents_for(site: Site, results: Results) -> list[Document]:
    """Every document of the site, with the template that draws it."""
    documents = [Document("", "home.html")]
    if results.records.present:
        documents.append(Document(f"{RESULTS_DIR}/", "results.html"))
        documents += [Document(f"{REPORTS_DIR}/{review.id}/", "report.html", review=review)
                      for review in results.records.reviews]
    documents += [Document(p.path, _post_template(p), page=p) for p in site.posts]
    documents += [Document(p.path, "page.html", page=p) for p in site.standalone]
    templates = {"section": "section.html", "tag": "tag.html", "year": "year.html", "gallery": "gallery.html",
                 "documents": "documents.html"}
    documents += [Document(listing.path, templates[listing.kind], listing=listing)
                  for listing in site.listings]
    documents += [Document("the/", "tags.html"), Document("luu-tru/", "archive.html"),
                  Document(f"{SEARCH_DIR}/", "search.html"),
                  Document("404.html", "404.html", root_relative=True)]
    return documents
