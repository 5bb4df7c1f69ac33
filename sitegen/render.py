"""The Jinja environment, filters, template digests and drawing one view (the only importer of `jinja2`)."""

from __future__ import annotations

import contextlib
import re
import traceback
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import jinja2
import jinja2.meta

from sitegen.assets import AssetManifest
from sitegen.charts import ResultCharts
from sitegen.digest import Digester
from sitegen.errors import Problem
from sitegen.images import ResponsiveImage
from sitegen.model import Site
from sitegen.records import Results
from sitegen.routes import attachment_path
from sitegen.sources import TEMPLATE_SUFFIXES, TEMPLATES_DIR, template_sources
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
from sitegen.views import View

BODY_TEMPLATES = ("post.html", "page.html", "profile.html", "document.html")
"""Templates that draw a post body: the ids they use are kept clear of the body's own."""
_ID = re.compile(r"""\bid\s*=\s*["']([^"'{}\s]+)["']""")
_EXTERNAL_RESOURCE = re.compile(
    r"""<(?:script|img|iframe|source|video|audio|embed|object|link)\b[^>]*?\b(?:src|srcset|href|data|poster)\s*=\s*"""
    r"""["']?\s*(?:https?:)?//""", re.IGNORECASE)
SITE_WIDE = ("results", "charts")
"""Site-wide values a template may read directly; an output that reads one depends on all of it."""


@dataclass(frozen=True)
class Rendered:
    """One drawn output: its bytes, or the problems that stopped it, and what it read besides its view."""

    path: str
    data: bytes | None
    problems: tuple[Problem, ...] = ()
    site_reads: tuple[tuple[str, tuple[object, ...]], ...] = ()  # (attribute, arguments) of `site` it used
    images: tuple[str, ...] = ()  # photos it showed


@dataclass(frozen=True)
class Linker:
    """URL helpers bound to the output being drawn."""

    path: str
    root_relative: bool
    base_url: str
    assets: AssetManifest

    def url(self, target: str) -> str:
        """Link to a site path ("tin-hoat-dong/", "" for home) from this output."""
        target = quote_path(target.lstrip("/"))
        if self.root_relative:
            return base_path(self.base_url) + target
        return relative_url(self.path, target)

    def absolute(self, target: str) -> str:
        """Absolute URL (canonical links, sharing)."""
        return absolute_url(self.base_url, quote_path(target.lstrip("/")))

    def absolute_asset(self, name: str) -> str:
        """Absolute URL of a file of templates/static (for sharing images)."""
        return self.absolute(self._asset_path(name))

    def asset(self, name: str) -> str:
        """Link to a file of templates/static by its plain name, e.g. "css/site.css"."""
        return self.url(self._asset_path(name))

    def _asset_path(self, name: str) -> str:
        site_path = self.assets.site_path(name)
        if site_path is None:
            raise MissingAssetError(name)
        return site_path


class MissingAssetError(Exception):
    """A template asked for a file that templates/static/ does not have."""


class MissingImageError(Exception):
    """A template asked for a photo the build did not plan (not a usable image under content/)."""


class SiteReads:
    """The whole site as templates may still reach it; every read is recorded for the output's key."""

    def __init__(self, site: Site) -> None:
        self._site = site
        self.reads: list[tuple[str, tuple[object, ...]]] = []

    def __getattr__(self, name: str) -> object:
        if name.startswith("_"):
            raise AttributeError(name)
        value = getattr(self._site, name)
        if callable(value):
            def call(*args: object) -> object:
                self.reads.append((name, args))
                return value(*args)
            return call
        self.reads.append((name, ()))
        return value


def read_site(site: Site, name: str, args: tuple[object, ...]) -> object:
    """Replay one recorded read (to digest what it gives this build)."""
    value = getattr(site, name)
    return value(*args) if args else value


def make_environment(root: Path, compiled: Path | None = None) -> jinja2.Environment:
    """Autoescaping, strict Jinja environment with the Vietnamese filters.

    With `compiled`, templates compiled once are kept in that folder (Jinja checks each against its
    source, and writes each whole or not at all), so a rebuild does not compile them again.
    """
    cache = None
    if compiled is not None:
        with contextlib.suppress(OSError):
            compiled.mkdir(parents=True, exist_ok=True)
            cache = jinja2.FileSystemBytecodeCache(str(compiled))
    environment = jinja2.Environment(
        bytecode_cache=cache,
        loader=jinja2.FileSystemLoader(root / TEMPLATES_DIR, encoding="utf-8-sig"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
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


@dataclass(frozen=True)
class TemplateFacts:
    """What a build needs to know of templates/: a digest per template (with what it includes or
    extends), the site-wide names each one reads, the ids the post templates use, and problems."""

    digests: Mapping[str, str]
    reads: Mapping[str, frozenset[str]]
    reserved_ids: frozenset[str]
    problems: tuple[Problem, ...]


def template_facts(root: Path, texts: Mapping[str, str | None] | None = None) -> TemplateFacts:
    """Read every template once: digests, dependencies, site-wide names used, layout ids, external requests."""
    texts = template_sources(root) if texts is None else texts
    environment = make_environment(root)
    sources: dict[str, str] = {}
    direct: dict[str, set[str | None]] = {}
    names: dict[str, set[str]] = {}
    problems: list[Problem] = []
    for name, source in texts.items():
        if source is None:
            problems.append(Problem(f"{TEMPLATES_DIR}/{name}", None,
                                    "tệp mẫu không phải UTF-8; hãy lưu lại dạng UTF-8"))
            continue
        sources[name] = source
        found = _EXTERNAL_RESOURCE.search(source)
        if found:
            problems.append(Problem(f"{TEMPLATES_DIR}/{name}", source.count("\n", 0, found.start()) + 1,
                                    "mẫu tải tệp (ảnh, script, phông chữ, CSS…) từ trang web khác; trang không "
                                    "được gửi yêu cầu ra ngoài (để không ai theo dõi được người đọc): hãy chép "
                                    "tệp vào templates/static/ và dùng asset('…')"))
        try:
            tree = environment.parse(source, name, str(root / TEMPLATES_DIR / name))
            direct[name] = set(jinja2.meta.find_referenced_templates(tree))
            names[name] = set(jinja2.meta.find_undeclared_variables(tree))  # compiles: finds unknown filters
        except jinja2.TemplateSyntaxError:  # (an unknown filter or test is one too)
            direct[name], names[name] = {None}, set(SITE_WIDE) | {"site"}  # drawing it will report the error
            continue
    digester = Digester()
    digests: dict[str, str] = {}
    reads: dict[str, frozenset[str]] = {}
    for name in sources:
        closure = _closure(name, direct)
        if None in closure:  # a template chosen while drawing: it may be any of them
            closure = set(sources)
        members = sorted(n for n in closure if n in sources)
        digests[name] = digester.hex([(n, sources[n]) for n in members] + [("missing", sorted(
            n for n in closure if n is not None and n not in sources))])
        reads[name] = frozenset(set().union(*(names.get(n, set()) for n in members)) & {*SITE_WIDE, "site"})
    reserved = {match for name in BODY_TEMPLATES if name in sources
                for member in _closure(name, direct) if member in sources for match in _ID.findall(sources[member])}
    return TemplateFacts(digests, reads, frozenset(reserved), tuple(problems))


def _closure(name: str, direct: Mapping[str, set[str | None]]) -> set[str | None]:
    seen: set[str | None] = set()
    stack: list[str | None] = [name]
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        if current is not None:
            stack.extend(direct.get(current, set()))
    return seen


class Renderer:
    """Draws views with one Jinja environment; made once per process."""

    def __init__(self, root: Path, site: Site, results: Results, charts: ResultCharts, assets: AssetManifest,
                 images: Mapping[tuple[str, tuple[float, float] | None], ResponsiveImage],
                 compiled: Path | None = None) -> None:
        self._environment = make_environment(root, compiled)
        self._site = site
        self._results = results
        self._charts = charts
        self._assets = assets
        self._images = images

    def prepare(self, names: Iterable[str]) -> None:
        """Compile these templates now (before the work is shared between processes)."""
        for name in names:
            with contextlib.suppress(Exception):  # a broken template is reported when it is drawn
                self._environment.get_template(name)

    def render(self, view: View) -> Rendered:
        """Draw one output; a template error becomes a problem with template name and line."""
        linker = Linker(view.path, view.root_relative, self._site.settings.base_url, self._assets)
        site = SiteReads(self._site)
        shown: list[str] = []

        def image_info(source: str, focus: tuple[float, float] | None = None) -> ResponsiveImage:
            image = self._images.get((source, focus)) or self._images.get((source, None))
            if image is None:
                raise MissingImageError(source)
            shown.append(source)
            return image

        try:
            template = self._environment.get_template(view.template)
            text = template.render(
                view=view, page=view.page, listing=view.listing, review=view.review, menu=view.menu.entries,
                share=view.share, feed=view.feed, cited=view.cited, citing=view.citing, mentions=view.mentions,
                awards=view.awards, home=view.home, tags=view.tags, years=view.years, report=view.report,
                settings=self._site.settings, site=site, results=self._results, charts=self._charts,
                image_info=image_info, attachment=attachment_path, current_path=view.path,
                url=linker.url, absolute_url=linker.absolute, asset=linker.asset,
                absolute_asset=linker.absolute_asset,
            )
        except Exception as error:  # a template's mistake, whatever kind: said with its place
            return Rendered(view.path, None, (template_problem(error, view.template),))
        return Rendered(view.path, text.encode("utf-8"), (), tuple(site.reads), tuple(dict.fromkeys(shown)))


def template_problem(error: BaseException, template: str) -> Problem:
    """Where in which template the error is, in Vietnamese."""
    if isinstance(error, jinja2.TemplateSyntaxError):
        name = _template_name(error.name, error.filename) or template
        return Problem(f"{TEMPLATES_DIR}/{name}", error.lineno,
                       f"cú pháp mẫu Jinja không hợp lệ (chi tiết kỹ thuật: {error.message})")
    if isinstance(error, jinja2.TemplateNotFound):
        caller, line = _template_frame(error)
        if caller is None and error.name == template:
            return Problem(f"{TEMPLATES_DIR}/{template}", None, "không tìm thấy tệp mẫu này trong templates/")
        return Problem(f"{TEMPLATES_DIR}/{caller or template}", line,
                       f"mẫu gọi tới mẫu '{error.name}' nhưng templates/ không có tệp này")
    name, line = _template_frame(error)
    if isinstance(error, jinja2.UndefinedError):
        message = f"mẫu dùng biến hoặc thuộc tính không tồn tại (chi tiết kỹ thuật: {error.message})"
    elif isinstance(error, MissingAssetError):
        message = f"mẫu dùng tệp giao diện '{error}' nhưng templates/static/ không có tệp này"
    elif isinstance(error, MissingImageError):
        message = f"mẫu dùng ảnh '{error}' nhưng đó không phải tệp ảnh dùng được trong content/"
    elif isinstance(error, UnicodeDecodeError):
        return Problem(f"{TEMPLATES_DIR}/{template}", None, "tệp mẫu không phải UTF-8; hãy lưu lại dạng UTF-8")
    elif isinstance(error, RecursionError):
        message = "mẫu gọi lại chính nó không dừng (extends, include hay macro vòng tròn)"
    else:
        message = f"lỗi khi dựng mẫu (chi tiết kỹ thuật: {type(error).__name__}: {error})"
    return Problem(f"{TEMPLATES_DIR}/{name or template}", line, message)


def _template_name(name: str | None, filename: str | None) -> str | None:
    """A template's name inside templates/, from the file Jinja read or its name (which is sometimes a path)."""
    for candidate in (filename, name):
        if candidate and Path(candidate).is_absolute():
            parts = Path(candidate).parts
            if TEMPLATES_DIR in parts:
                index = len(parts) - 1 - parts[::-1].index(TEMPLATES_DIR)
                return "/".join(parts[index + 1:])
    return name


def _template_frame(error: BaseException) -> tuple[str | None, int | None]:
    """The innermost template file and line in the traceback Jinja rewrote for us."""
    found: tuple[str | None, int | None] = (None, None)
    for frame in traceback.extract_tb(error.__traceback__):
        filename = Path(frame.filename)
        if TEMPLATES_DIR in filename.parts and filename.suffix in TEMPLATE_SUFFIXES:
            found = (_template_name(None, frame.filename), frame.lineno)
    return found


