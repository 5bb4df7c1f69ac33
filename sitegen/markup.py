"""Markdown → safe HTML, table of contents and plain text (the only importer of `markdown` and `nh3`)."""

from __future__ import annotations

import html
import pickle
import re
import xml.etree.ElementTree as ET
import zlib
from dataclasses import dataclass
from html.parser import HTMLParser

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.toc import TocExtension
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER

from sitegen.errors import Problem
from sitegen.images import ResponsiveImage
from sitegen.links import LinkFindings, LinkTable, PageResolver
from sitegen.model import TocEntry
from sitegen.pasted_lists import tidy_lists
from sitegen.terms import TextTerms, text_terms
from sitegen.text import ALT_PLACEHOLDER, slugify

RENDERER_VERSION = "6"  # bump when the HTML produced for the same text changes (cached results are redone)
SUMMARY_LENGTH = 200
MAX_BODY = 1_000_000  # characters: a post of a thousand pages is a mistake (a pasted file), not a post
MAX_NESTING = 60  # list, quote or HTML levels; Python-Markdown recurses once per level

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd",
    "del", "details", "div", "dl", "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small",
    "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "picture",
    "source", "time", "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {
    "*": {"id", "class", "title", "lang", "dir"},
    "div": {"role", "tabindex", "aria-label"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading", "srcset", "sizes", "decoding", "fetchpriority"},
    "source": {"srcset", "sizes", "type"},
    "td": {"colspan", "rowspan", "style"},
    "th": {"colspan", "rowspan", "style", "scope"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite"},
    "ins": {"cite"},
    "time": {"datetime"},
}
ALLOWED_SCHEMES = {"http", "https", "mailto", "tel"}
# Attributes whose value is a URL, by what the browser does with it.
LINK_ATTRIBUTES = {"href"}
RESOURCE_ATTRIBUTES = {"src", "poster", "data", "background", "action", "formaction", "manifest", "icon",
                       "longdesc", "usemap", "ping", "xlink:href"}
EMBEDS = {"iframe": "khung nhúng (iframe)", "embed": "nội dung nhúng", "object": "nội dung nhúng",
          "video": "video", "audio": "âm thanh", "script": "script", "style": "khối CSS", "link": "tệp liên kết",
          "frame": "khung", "frameset": "khung", "applet": "applet", "svg": "hình SVG", "math": "công thức",
          "form": "biểu mẫu", "input": "ô nhập", "track": "phụ đề", "base": "thẻ base", "meta": "thẻ meta"}
_SKIPPED_CONTENT = {"script", "style"}
_TEXT_ALIGN = re.compile(r"^\s*text-align\s*:\s*(left|right|center|justify|start|end)\s*$", re.IGNORECASE)
_ESCAPED = re.compile("\x02(\\d+)\x03")
_PLACEHOLDER = re.compile(HTML_PLACEHOLDER % r"(\d+)")
BODY_IMAGE_SIZES = "(min-width: 48rem) 42rem, 100vw"
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_BLOCKS = {"p", "li", "td", "th", "h2", "h3", "h4", "h5", "h6", "br", "div", "blockquote", "dt", "dd", "pre",
           "tr", "figcaption", "caption"}


@dataclass(frozen=True)
class PageTask:
    """What the Markdown stage needs to render one page body (sent to a worker process)."""

    source: str  # "content/tin-hoat-dong/x.md"
    page_path: str  # "tin-hoat-dong/x/"
    body: str
    body_line: int  # the file line where the body starts
    has_main_image: bool  # the post has a front-matter photo (then body photos all load lazily)


@dataclass(frozen=True)
class PageMarkup:
    """A page body as safe HTML (compressed: a site of ten thousand posts keeps them all), with what
    rendering it found and the words search indexes."""

    body: bytes  # the HTML, zlib-compressed
    toc: tuple[TocEntry, ...]
    excerpt: str  # the first paragraph, shortened: a summary when none is written
    search_text: str  # the start of the text, for search excerpts
    words: int
    findings: LinkFindings
    terms: bytes = b""  # the search words of the body (TextTerms), pickled and compressed

    @property
    def problems(self) -> tuple[Problem, ...]:
        """Errors and warnings, each at its line."""
        return self.findings.problems

    @property
    def html(self) -> str:
        """The HTML of the body."""
        return zlib.decompress(self.body).decode("utf-8")

    def text_terms(self) -> TextTerms:
        """The search words of the body."""
        return unpack_terms(self.terms)


def unpack_terms(packed: bytes) -> TextTerms:
    """Search words as PageMarkup keeps them (pickled, compressed)."""
    return pickle.loads(zlib.decompress(packed)) if packed else TextTerms((), ())


def failed_markup(problem: Problem) -> PageMarkup:
    """The result for a body that could not be rendered."""
    return PageMarkup(zlib.compress(b""), (), "", "", 0, LinkFindings((problem,)))


class _PageTreeprocessor(Treeprocessor):
    """Resolves every URL, keeps the layout's ids, puts headings at h2, wraps photos and tables, reads text."""

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self.resolver: PageResolver | None = None
        self.has_main_image = False
        self.eager_left = False
        self.text = ""
        self.first_paragraph = ""

    def run(self, root: ET.Element) -> None:
        resolver = self.resolver
        assert resolver is not None, "set the resolver before converting"
        raw_text = _clean_raw_blocks(self.md.htmlStash.rawHtmlBlocks, resolver)
        _normalise_heading_levels(root)
        self.eager_left = not self.has_main_image
        for element in list(root.iter()):
            self._resolve(element, resolver)
        _wrap_pictures(root)
        _wrap_tables(root)
        self.text, self.first_paragraph = _read_text(root, raw_text)

    def _resolve(self, element: ET.Element, resolver: PageResolver) -> None:
        written_src = _unescape(element.get("src", ""))  # as in the text: how the warnings find their line
        photo = element.tag == "img" and self._responsive(element, written_src, resolver)
        for name, value in list(element.items()):
            value = _unescape(value)
            if photo and name in ("src", "srcset", "sizes", "width", "height", "data-webp"):
                continue  # set from the photo's resized copies
            if name == "id":
                element.set(name, resolver.fix_id(value))
            elif name in LINK_ATTRIBUTES and element.tag == "a":
                _set(element, name, resolver.link(value))
            elif name == "srcset":
                _set(element, name, resolver.srcset(value))
            elif name == "cite":
                _set(element, name, resolver.cite(value))
            elif name in RESOURCE_ATTRIBUTES or name in LINK_ATTRIBUTES:
                _set(element, name, resolver.resource(value, "ảnh" if element.tag == "img" else "tệp"))
        if element.tag == "img":
            if element.get("alt", "").strip() == ALT_PLACEHOLDER:
                resolver.warn(written_src, "ảnh còn mô tả tạm (từ tệp Word); hãy viết mô tả thật cho ảnh")
            self._set_loading(element)

    def _set_loading(self, element: ET.Element) -> None:
        if self.eager_left:  # the first picture of a post without a main photo is its largest paint
            self.eager_left = False
            element.attrib.pop("loading", None)
            element.set("fetchpriority", "high")
        elif element.get("loading") is None:
            element.set("loading", "lazy")
            element.set("decoding", "async")

    def _responsive(self, element: ET.Element, src: str, resolver: PageResolver) -> bool:
        """Give a local photo its sizes (srcset), dimensions and a WebP source; False if not one."""
        if not src:
            return False
        image: ResponsiveImage | None = resolver.photo(src, element.get("alt", ""))
        if image is None:
            return False
        url = resolver.url
        element.set("src", url(image.default.site_path))
        element.set("srcset", ", ".join(f"{url(v.site_path)} {v.width}w" for v in image.fallback))
        element.set("sizes", BODY_IMAGE_SIZES)
        element.set("width", str(image.default.width))
        element.set("height", str(image.default.height))
        webp = image.of_format("WEBP")
        if webp:
            element.set("data-webp", ", ".join(f"{url(v.site_path)} {v.width}w" for v in webp))
        return True


def _set(element: ET.Element, name: str, value: str | None) -> None:
    if value is None:
        del element.attrib[name]
    else:
        element.set(name, value)


def _unescape(value: str) -> str:
    """A value as written: Python-Markdown keeps backslash escapes as placeholders until later."""
    return _ESCAPED.sub(lambda match: chr(int(match.group(1))), value)


def _normalise_heading_levels(root: ET.Element) -> None:
    """The page title is the h1: the body's highest heading level becomes h2, keeping the steps."""
    levels = [int(e.tag[1]) for e in root.iter() if e.tag in _HEADINGS]
    shift = 2 - min(levels) if levels else 0
    if shift:
        for element in [e for e in root.iter() if e.tag in _HEADINGS]:
            element.tag = f"h{min(int(element.tag[1]) + shift, 6)}"


def _wrap_pictures(root: ET.Element) -> None:
    """An image with WebP copies goes in a <picture> so browsers that read WebP take the smaller files."""
    for parent in list(root.iter()):
        for index, child in enumerate(list(parent)):
            webp = child.get("data-webp") if child.tag == "img" else None
            if webp:
                del child.attrib["data-webp"]
                picture = ET.Element("picture")
                ET.SubElement(picture, "source", {"type": "image/webp", "srcset": webp, "sizes": BODY_IMAGE_SIZES})
                picture.tail, child.tail = child.tail, None
                parent.remove(child)
                picture.append(child)
                parent.insert(index, picture)


def _wrap_tables(root: ET.Element) -> None:
    """Tables scroll sideways inside a focusable region on phones, keeping table semantics."""
    for parent in list(root.iter()):
        for index, child in enumerate(list(parent)):
            if child.tag == "table":
                wrapper = ET.Element("div", {"class": "table-wrap", "role": "region", "tabindex": "0",
                                             "aria-label": "Bảng (cuộn ngang nếu màn hình hẹp)"})
                wrapper.tail, child.tail = child.tail, None
                parent.remove(child)
                wrapper.append(child)
                parent.insert(index, wrapper)


def _read_text(root: ET.Element, raw_text: list[str]) -> tuple[str, str]:
    """All the text of the body and of its first paragraph, without footnote marks or back-links."""
    parts: list[str] = []
    first: list[str] | None = None

    def placeholders(text: str) -> str:
        return _PLACEHOLDER.sub(lambda m: raw_text[int(m.group(1))] if int(m.group(1)) < len(raw_text) else "",
                                _unescape(text))

    def walk(element: ET.Element, into: list[str]) -> None:
        skipped = element.tag == "sup" or (element.tag == "a" and "footnote-backref" in element.get("class", ""))
        if element.tag in _BLOCKS:
            into.append(" ")
        if element.text and not skipped:
            into.append(placeholders(element.text))
        if not skipped:
            for child in element:
                walk(child, into)
                if child.tail:
                    into.append(placeholders(child.tail))

    for child in root:
        if first is None and child.tag == "p":
            first = []
            walk(child, first)
            parts.extend(first)
        else:
            walk(child, parts)
        if child.tail:
            parts.append(placeholders(child.tail))
    return " ".join("".join(parts).split()), " ".join("".join(first or []).split())


# --- raw HTML -----------------------------------------------------------------------------


class _RawHtml(HTMLParser):
    """Rewrites one block of raw HTML: every URL through the resolver, external resources and embeds
    dropped (with a warning), ids kept clear of the layout's; collects the block's text."""

    def __init__(self, resolver: PageResolver) -> None:
        super().__init__(convert_charrefs=False)
        self.resolver = resolver
        self.out: list[str] = []
        self.text: list[str] = []
        self.skip_content: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs, closed=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs, closed=True)

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]], closed: bool) -> None:
        if self.skip_content:
            return
        if tag in EMBEDS:
            where = next((v for k, v in attrs if k in ("src", "href", "data") and v), f"<{tag}")
            self.resolver.warn(where, f"{EMBEDS[tag]} <{tag}> trong bài bị bỏ (trang không nhúng nội dung từ nơi khác "
                                      "và không chạy mã trong bài); hãy đặt liên kết thường tới nội dung đó")
            if tag in _SKIPPED_CONTENT and not closed:
                self.skip_content.append(tag)
            return
        kept = []
        for name, value in attrs:
            resolved = self._attribute(tag, name, value or "")
            if resolved is not None:
                kept.append(f' {name}="{html.escape(resolved, quote=True)}"')
        if tag in ("img", "source") and not any(k.startswith((" src=", " srcset=")) for k in kept):
            return  # an image left without a picture of the site is dropped whole
        self.out.append(f"<{tag}{''.join(kept)}{' /' if closed else ''}>")

    def _attribute(self, tag: str, name: str, value: str) -> str | None:
        resolver = self.resolver
        if name == "id":
            return resolver.fix_id(value)
        if name == "href" and tag == "a":
            return resolver.link(value)
        if name == "srcset":
            return resolver.srcset(value)
        if name == "cite":
            return resolver.cite(value)
        if name in RESOURCE_ATTRIBUTES or name == "href":
            return resolver.resource(value, "ảnh" if tag in ("img", "source", "picture") else "tệp")
        return value

    def handle_endtag(self, tag: str) -> None:
        if self.skip_content:
            if tag == self.skip_content[-1]:
                self.skip_content.pop()
            return
        if tag not in EMBEDS:
            self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if not self.skip_content:
            self.out.append(data)
            self.text.append(html.unescape(data))

    def handle_entityref(self, name: str) -> None:
        self.handle_data(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.handle_data(f"&#{name};")


def _clean_raw_blocks(blocks: list[str], resolver: PageResolver) -> list[str]:
    """Rewrite every stashed raw HTML block in place; return the text of each."""
    texts = []
    for index, block in enumerate(blocks):
        parser = _RawHtml(resolver)
        parser.feed(str(block))
        parser.close()
        blocks[index] = "".join(parser.out)
        texts.append("".join(parser.text))
    return texts


# --- the renderer -----------------------------------------------------------------------------


class _PageExtension(Extension):
    """Registers the page tree processor ahead of the table of contents."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's API name
        # After attr_list (8), so ids set with {#…} are checked too; before the table of contents (5).
        md.treeprocessors.register(_PageTreeprocessor(md), "sitegen_page", 7)


class MarkdownRenderer:
    """One configured Python-Markdown instance, reused for every page a process renders."""

    def __init__(self) -> None:
        self._reserved: frozenset[str] = frozenset()
        self._keys: dict[str, tuple[str, str]] = {}  # search words already folded by this process
        self._md = markdown.Markdown(
            extensions=[
                "tables", "footnotes", "attr_list", "fenced_code", "sane_lists", "def_list", "abbr",
                TocExtension(slugify=self._heading_id, toc_depth="2-4"),
                _PageExtension(),
            ],
            extension_configs={"footnotes": {
                "BACKLINK_TITLE": "Quay lại chỗ chú thích %d trong bài",
                "SUPERSCRIPT_TEXT": "{}",
            }},
            output_format="html",
        )
        self._processor: _PageTreeprocessor = self._md.treeprocessors["sitegen_page"]

    def _heading_id(self, text: str, separator: str = "-") -> str:
        """Anchor of a heading: our slug (đ → d), kept clear of the templates' own ids."""
        slug = slugify(text, separator) or "muc"
        return f"muc-{slug}" if slug in self._reserved else slug

    def render(self, task: PageTask, table: LinkTable) -> PageMarkup:
        """Convert one page body; every URL is resolved against `table`."""
        resolver = PageResolver(task.source, task.page_path, task.body, task.body_line, table)
        too_complex = _too_complex(task)
        if too_complex:
            resolver.error(task.body[:0], too_complex)
            return PageMarkup(zlib.compress(b""), (), "", "", 0, resolver.findings())
        self._md.reset()
        self._reserved = table.reserved_ids
        self._processor.resolver = resolver
        self._processor.has_main_image = task.has_main_image
        tidied, list_notes = tidy_lists(task.body, task.source, task.body_line)  # lines pasted from Word
        try:
            converted = self._md.convert(tidied)
        except RecursionError:
            resolver.error(task.body[:0], "bài quá phức tạp để dựng: có quá nhiều lớp lồng nhau (danh sách, trích dẫn "
                                          "hay thẻ HTML lồng trong nhau); hãy bớt các lớp lồng")
            return PageMarkup(zlib.compress(b""), (), "", "", 0, resolver.findings())
        safe_html = sanitize(converted)
        toc = tuple(_toc_entry(token) for token in getattr(self._md, "toc_tokens", []))
        text = self._processor.text
        terms = zlib.compress(pickle.dumps(text_terms(text, self._keys), protocol=pickle.HIGHEST_PROTOCOL), 1)
        return PageMarkup(zlib.compress(safe_html.encode("utf-8"), 1), toc, shorten(self._processor.first_paragraph),
                          excerpt_start(text), len(text.split()), resolver.findings().adding(list_notes), terms)


def _too_complex(task: PageTask) -> str:
    """Why a body is refused before Python-Markdown sees it, or ""."""
    if len(task.body) > MAX_BODY:
        return (f"bài quá dài để dựng ({len(task.body):,} ký tự, tối đa {MAX_BODY:,}); có thể đã dán nhầm cả một "
                "tệp; hãy chia thành nhiều bài").replace(",", ".")
    depth = max((len(m.group(0).replace("    ", ">").replace(" ", "")) for m in
                 re.finditer(r"^(?:[ \t]*>|    )+", task.body, re.MULTILINE)), default=0)
    if depth > MAX_NESTING or task.body.count("<div") > 5_000:
        return (f"bài quá phức tạp để dựng: có quá nhiều lớp lồng nhau (tối đa {MAX_NESTING}); hãy bớt các lớp "
                "danh sách, trích dẫn hay thẻ HTML lồng trong nhau")
    return ""


_RENDERER: MarkdownRenderer | None = None


def render_page(task: PageTask, table: LinkTable) -> PageMarkup:
    """Render one page with this process's renderer (made on first use): the worker's entry point."""
    global _RENDERER
    if _RENDERER is None:
        _RENDERER = MarkdownRenderer()
    return _RENDERER.render(task, table)


# --- sanitising ------------------------------------------------------------------------------


def _attribute_filter(tag: str, name: str, value: str) -> str | None:
    """The last word on each attribute: only URLs that are safe there, only the alignment as style."""
    if name in ("src", "srcset", "poster"):
        urls = [c.strip().split(" ", 1)[0] for c in value.split(",")] if name == "srcset" else [value.strip()]
        return value if all(_is_local(url) for url in urls) else None
    if name == "cite":
        return value if _is_local(value) or value.lower().startswith(("http://", "https://")) else None
    if name == "style":
        kept = [d.strip() for d in value.split(";") if _TEXT_ALIGN.match(d)]
        return "; ".join(kept) if kept else None
    return value


def _is_local(url: str) -> bool:
    """A URL inside the site: no scheme, no host."""
    return bool(url) and ":" not in url.split("/", 1)[0] and not url.startswith(("//", "\\"))


def sanitize(fragment: str) -> str:
    """Keep only allow-listed HTML: no scripts, event handlers, unsafe URLs or styles beyond alignment."""
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel=None,
        strip_comments=True,
        filter_style_properties={"text-align"},
        attribute_filter=_attribute_filter,
    )


def _toc_entry(token: dict) -> TocEntry:
    title = html.unescape(token["name"])
    return TocEntry(token["level"], token["id"], title,
                    tuple(_toc_entry(child) for child in token.get("children", [])))


EXCERPT_SOURCE = 2000  # characters of page text kept for search excerpts


def excerpt_start(text: str, limit: int = EXCERPT_SOURCE) -> str:
    """The start of a text for excerpts, ending at a word boundary (a cut word would show as "vận độn")."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit + 1].rsplit(" ", 1)[0]


def shorten(text: str, limit: int = SUMMARY_LENGTH) -> str:
    """Cut text at a word boundary within `limit` characters, adding "…" when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:–-")
    return cut + "…"
