"""Markdown → safe HTML and a table of contents (the only importer of `markdown` and `nh3`)."""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.toc import TocExtension
from markdown.treeprocessors import Treeprocessor

from sitegen.links import LinkResolver
from sitegen.model import TocEntry
from sitegen.text import slugify

SUMMARY_LENGTH = 200

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd",
    "del", "details", "div", "dl", "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small",
    "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
    "time", "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {
    "*": {"id", "class", "title", "lang", "dir"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"colspan", "rowspan", "style"},
    "th": {"colspan", "rowspan", "style", "scope"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "time": {"datetime"},
}
ALLOWED_SCHEMES = {"http", "https", "mailto", "tel"}
# Ids the page templates use around a post body; a heading never takes one of them.
TEMPLATE_IDS = frozenset({"noi-dung", "dau-trang", "toc-title"})


def heading_id(text: str, separator: str = "-") -> str:
    """Anchor of a heading: our slug (đ → d), kept clear of the templates' own ids."""
    slug = slugify(text, separator) or "muc"
    return f"muc-{slug}" if slug in TEMPLATE_IDS else slug


@dataclass(frozen=True)
class MarkupResult:
    """A page body as safe HTML, its headings, and a plain-text excerpt."""

    html: str
    toc: tuple[TocEntry, ...]
    excerpt: str


class _PageTreeprocessor(Treeprocessor):
    """Resolves links and image sources, demotes a stray h1, and takes the first paragraph."""

    resolver: LinkResolver | None = None
    excerpt: str = ""

    def run(self, root: ET.Element) -> None:
        if root.find(".//h1") is not None:
            for level in range(5, 0, -1):
                for heading in root.iter(f"h{level}"):
                    heading.tag = f"h{level + 1}"
        for element in root.iter():
            attribute = {"a": "href", "img": "src"}.get(element.tag)
            if attribute and element.get(attribute) and self.resolver is not None:
                element.set(attribute, self.resolver.resolve(element.get(attribute, "")))
            if element.tag == "img" and element.get("loading") is None:
                element.set("loading", "lazy")
        first = root.find("p")
        self.excerpt = " ".join("".join(first.itertext()).split()) if first is not None else ""


class _PageExtension(Extension):
    """Registers the page tree processor ahead of the table of contents."""

    def __init__(self, processor_holder: list[_PageTreeprocessor]) -> None:
        super().__init__()
        self._holder = processor_holder

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's API name
        processor = _PageTreeprocessor(md)
        self._holder.append(processor)
        md.treeprocessors.register(processor, "sitegen_page", 10)


class MarkdownRenderer:
    """One configured Python-Markdown instance, reused for every page of a build."""

    def __init__(self) -> None:
        holder: list[_PageTreeprocessor] = []
        self._md = markdown.Markdown(
            extensions=[
                "tables", "footnotes", "attr_list", "fenced_code", "sane_lists", "def_list", "abbr",
                TocExtension(slugify=heading_id, toc_depth="2-4"),
                _PageExtension(holder),
            ],
            extension_configs={"footnotes": {
                "BACKLINK_TITLE": "Quay lại chỗ chú thích %d trong bài",
                "SUPERSCRIPT_TEXT": "{}",
            }},
            output_format="html",
        )
        self._processor = holder[0]

    def render(self, body: str, resolver: LinkResolver | None) -> MarkupResult:
        """Convert one page body; links are resolved through `resolver`."""
        self._md.reset()
        self._processor.resolver = resolver
        raw_html = self._md.convert(body)
        toc = tuple(_toc_entry(token) for token in getattr(self._md, "toc_tokens", []))
        return MarkupResult(sanitize(raw_html), toc, shorten(self._processor.excerpt))


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
