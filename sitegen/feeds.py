"""Atom feeds, sitemap.xml and robots.txt: absolute URLs under the configured base URL."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime
from xml.sax.saxutils import escape as xml_escape

from sitegen.model import Page, Site
from sitegen.text import format_iso
from sitegen.urls import absolute_url

ATOM = "http://www.w3.org/2005/Atom"
XML = "http://www.w3.org/XML/1998/namespace"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
FEED_ENTRIES = 30
FEED_FILE = "feed.xml"
NOT_INDEXED = {"404.html", "tim-kiem/"}  # pages that tell crawlers noindex


def feed_path(section_id: str | None = None) -> str:
    """Site path of the feed of all news, or of one section."""
    return f"{section_id}/{FEED_FILE}" if section_id else FEED_FILE


# Characters XML 1.0 does not allow: a feed holding one opens in no reader. Staff text has them removed
# when it is read (with a warning); this keeps any other source of text from breaking a feed.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufdcf\ufdf0-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """Text with the characters XML forbids removed."""
    return _NOT_XML.sub("", text)


def _text(parent: ET.Element, tag: str, text: str, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {key: xml_text(value) for key, value in attributes.items()})
    element.text = xml_text(text)
    return element


def atom_feed(site: Site, pages: tuple[Page, ...], title: str, path: str, html_path: str) -> bytes:
    """An Atom feed of the newest pages with their summaries; every URL absolute."""
    settings = site.settings
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {f"{{{XML}}}lang": "vi"})
    _text(feed, f"{{{ATOM}}}title", title)
    if settings.description:
        _text(feed, f"{{{ATOM}}}subtitle", settings.description)
    _text(feed, f"{{{ATOM}}}id", absolute_url(settings.base_url, path))
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "type": "application/atom+xml",
                                            "href": absolute_url(settings.base_url, path)})
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html",
                                            "href": absolute_url(settings.base_url, html_path)})
    newest = pages[:FEED_ENTRIES]
    updated = max((_changed(p) for p in newest), default=None)
    _text(feed, f"{{{ATOM}}}updated", format_iso(updated) if updated else "2021-01-01T00:00:00+07:00")
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, f"{{{ATOM}}}name", settings.agency.name)
    for page in newest:
        url = absolute_url(settings.base_url, page.path)
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(entry, f"{{{ATOM}}}title", page.title)
        ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": url})
        _text(entry, f"{{{ATOM}}}id", url)
        _text(entry, f"{{{ATOM}}}published", format_iso(page.date))
        _text(entry, f"{{{ATOM}}}updated", format_iso(_changed(page)))
        if page.section:
            ET.SubElement(entry, f"{{{ATOM}}}category", {"term": page.section.id,
                                                         "label": xml_text(page.section.title)})
        if page.author or page.unit:
            entry_author = ET.SubElement(entry, f"{{{ATOM}}}author")
            _text(entry_author, f"{{{ATOM}}}name", page.author or page.unit)
        # Summaries only: every URL in the feed is absolute, and readers follow the link for the rest.
        _text(entry, f"{{{ATOM}}}summary", page.summary or page.title)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def _changed(page: Page) -> datetime:
    return page.updated or page.date


def feeds(site: Site) -> dict[str, bytes]:
    """The feed of all news and one per section that has posts."""
    settings = site.settings
    files = {feed_path(): atom_feed(site, site.news, settings.title, feed_path(), "")}
    for section in settings.sections:
        pages = site.section_posts(section.id)
        if pages:
            files[feed_path(section.id)] = atom_feed(
                site, pages, f"{section.title} – {settings.short_title}", feed_path(section.id), f"{section.id}/")
    return files


def sitemap(site: Site, html_paths: list[str]) -> bytes:
    """sitemap.xml (schema 0.9) listing the pages to index (not 404, not search), with last changes of posts."""
    changed = {p.path: _changed(p) for p in (*site.posts, *site.standalone)}
    newest = max(changed.values(), default=None)
    parts = [f"<?xml version='1.0' encoding='utf-8'?>\n<urlset xmlns=\"{SITEMAP}\">"]
    for path in sorted(p for p in html_paths if p not in NOT_INDEXED):  # written as text: one entry per page
        parts.append(f"<url><loc>{xml_escape(absolute_url(site.settings.base_url, path))}</loc>")
        moment = changed.get(path, newest)
        if moment is not None:
            parts.append(f"<lastmod>{format_iso(moment)}</lastmod>")
        parts.append("</url>")
    parts.append("</urlset>\n")
    return "".join(parts).encode("utf-8")


def robots(site: Site) -> bytes:
    """robots.txt that lets crawlers in and points at the sitemap."""
    return (f"User-agent: *\nAllow: /\n\nSitemap: {absolute_url(site.settings.base_url, 'sitemap.xml')}\n"
            ).encode()
