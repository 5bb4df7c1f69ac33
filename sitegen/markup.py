"""Markdown → safe HTML and a table of contents (the only importer of `markdown` and `nh3`)."""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.toc import TocExtension
from markdown.treeprocessors import Treeprocessor

from sitegen.links import LinkResolver
from sitegen.model import MarkupResult, TocEntry
from sitegen.text import slugify

SUMMARY_LENGTH = 200

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd",
    "del", "details", "div", "dl", "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small",
    "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "picture",
    "source",
    "time", "tr", "u", "ul",
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
    "time": {"datetime"},
}
ALLOWED_SCHEMES = {"http", "https", "mailto", "tel"}
BODY_IMAGE_SIZES = "(min-width: 48rem) 42rem, 100vw"
# Ids the page templates use around a post body; a heading never takes one of them.
TEMPLATE_IDS = frozenset({"noi-dung", "dau-trang", "toc-title"})


def heading_id(text: str, separator: str = "-") -> str:
    """Anchor of a heading: our slug (đ → d), kept clear of the templates' own ids."""
    slug = slugify(text, separator) or "muc"
    return f"muc-{slug}" if slug in TEMPLATE_IDS else slug


class _PageTreeprocessor(Treeprocessor):
    """Resolves links and images, puts the top heading level at h2, keeps layout ids, wraps tables."""

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self.resolver: LinkResolver | None = None
        self.eager_left = False

    def run(self, root: ET.Element) -> None:
        _normalise_heading_levels(root)
        # The first picture of a post without a main photo is its largest paint: load it at once.
        self.eager_left = self.resolver is not None and not self.resolver.route.source.front.image
        for element in root.iter():
            if element.get("id") in TEMPLATE_IDS:
                element.set("id", f"muc-{element.get('id')}")
            attribute = {"a": "href", "img": "src"}.get(element.tag)
            if attribute and element.get(attribute) and self.resolver is not None:
                if not (element.tag == "img" and self._responsive(element)):
                    element.set(attribute, self.resolver.resolve(element.get(attribute, ""), element.tag == "img"))
            if element.tag == "img":
                self._set_loading(element)
        _wrap_pictures(root)
        _wrap_tables(root)

    def _set_loading(self, element: ET.Element) -> None:
        if self.eager_left:
            self.eager_left = False
            element.attrib.pop("loading", None)
            element.set("fetchpriority", "high")
        elif element.get("loading") is None:
            element.set("loading", "lazy")
            element.set("decoding", "async")

    def _responsive(self, element: ET.Element) -> bool:
        """Give a local photo its sizes (srcset), dimensions and a WebP source; False if not one."""
        assert self.resolver is not None
        image = self.resolver.image(element.get("src", ""), element.get("alt", ""))
        if image is None:
            return False
        url = self.resolver.url
        element.set("src", url(image.default.site_path))
        element.set("srcset", ", ".join(f"{url(v.site_path)} {v.width}w" for v in image.fallback))
        element.set("sizes", BODY_IMAGE_SIZES)
        element.set("width", str(image.default.width))
        element.set("height", str(image.default.height))
        webp = image.of_format("WEBP")
        if webp:
            element.set("data-webp", ", ".join(f"{url(v.site_path)} {v.width}w" for v in webp))
        return True


def _normalise_heading_levels(root: ET.Element) -> None:
    """The page title is the h1: the body's highest heading level becomes h2, keeping the steps."""
    levels = [int(e.tag[1]) for e in root.iter() if e.tag in {"h1", "h2", "h3", "h4", "h5", "h6"}]
    shift = 2 - min(levels) if levels else 0
    if shift:
        for element in [e for e in root.iter() if e.tag in {"h1", "h2", "h3", "h4", "h5", "h6"}]:
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


class _PageExtension(Extension):
    """Registers the page tree processor ahead of the table of contents."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's API name
        # After attr_list (8), so ids set with {#…} are checked too; before the table of contents (5).
        md.treeprocessors.register(_PageTreeprocessor(md), "sitegen_page", 7)


class MarkdownRenderer:
    """One configured Python-Markdown instance, reused for every page of a build."""

    def __init__(self) -> None:
        self._md = markdown.Markdown(
            extensions=[
                "tables", "footnotes", "attr_list", "fenced_code", "sane_lists", "def_list", "abbr",
                TocExtension(slugify=heading_id, toc_depth="2-4"),
                _PageExtension(),
            ],
            extension_configs={"footnotes": {
                "BACKLINK_TITLE": "Quay lại chỗ chú thích %d trong bài",
                "SUPERSCRIPT_TEXT": "{}",
            }},
            output_format="html",
        )
        self._processor: _PageTreeprocessor = self._md.treeprocessors["sitegen_page"]

    def render(self, body: str, resolver: LinkResolver | None) -> MarkupResult:
        """Convert one page body; links are resolved through `resolver`."""
        self._md.reset()
        self._processor.resolver = resolver
        safe_html = sanitize(self._md.convert(body))
        toc = tuple(_toc_entry(token) for token in getattr(self._md, "toc_tokens", []))
        words = len(plain_text(safe_html).split())
        return MarkupResult(safe_html, toc, shorten(first_paragraph_text(safe_html)), words)


class _FirstParagraph(HTMLParser):
    """Collects the text of the first top-level paragraph, leaving footnote marks out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.skip = 0
        self.done = False
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.done:
            return
        if tag == "p" and self.depth == 0:
            self.depth = 1
        elif self.depth and tag == "sup":
            self.skip += 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag == "sup" and self.skip:
            self.skip -= 1
        elif self.depth and tag == "p":
            self.depth, self.done = 0, True

    def handle_data(self, data: str) -> None:
        if self.depth and not self.skip and not self.done:
            self.parts.append(data)


class _PlainText(HTMLParser):
    """All the text of a fragment, leaving footnote marks and back-links out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skip = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "sup" or (tag == "a" and ("class", "footnote-backref") in attrs):
            self.skip += 1
        elif tag in {"p", "li", "td", "th", "h2", "h3", "h4", "br", "div"}:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if self.skip and tag in {"sup", "a"}:
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def plain_text(fragment: str) -> str:
    """The text of an HTML fragment, one space between blocks (for search and reading time)."""
    parser = _PlainText()
    parser.feed(fragment)
    return " ".join("".join(parser.parts).split())


def first_paragraph_text(fragment: str) -> str:
    """Plain text of the first paragraph of an HTML fragment (for summaries and descriptions)."""
    parser = _FirstParagraph()
    parser.feed(fragment)
    return " ".join("".join(parser.parts).split())


def sanitize(fragment: str) -> str:
    """Keep only allow-listed HTML: no scripts, event handlers, styles or javascript: URLs."""
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel=None,
        strip_comments=True,
        filter_style_properties={"text-align"},
    )


def _toc_entry(token: dict) -> TocEntry:
    title = html.unescape(token["name"])
    return TocEntry(token["level"], token["id"], title,
                    tuple(_toc_entry(child) for child in token.get("children", [])))


def shorten(text: str, limit: int = SUMMARY_LENGTH) -> str:
    """Cut text at a word boundary within `limit` characters, adding "…" when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:–-")
    return cut + "…"
