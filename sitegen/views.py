"""One view value per output: the page or list it shows, with the menu, sharing and what else it lists."""

# A template receives its output's view, not the whole site, so the view's digest says when the output
# must be drawn again. What the templates used to work out themselves (the documents a post cites, the
# posts of a report's period, the title a shared link shows) is worked out here, once.

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sitegen.model import (
    Card,
    Listing,
    Menu,
    MenuEntry,
    Page,
    Section,
    Settings,
    Site,
    TagSummary,
    YearSummary,
    card_of,
)
from sitegen.records import Results
from sitegen.records_model import Commendation, Review
from sitegen.search import SEARCH_DIR
from sitegen.text import citation_key, tag_key

RESULTS_DIR = "ket-qua"
REPORTS_DIR = "bao-cao"
HOME_FEATURED = 3
HOME_PROFILES = 3


@dataclass(frozen=True)
class Share:
    """What a shared link shows (Open Graph): None fields fall back to the page title and the site."""

    title: str | None
    description: str
    type: str  # "website" or "article"
    published: datetime | None
    modified: datetime | None
    image: str  # project path of a photo (its 1200×630 crop is shared), or "" for the site's picture
    image_focus: tuple[float, float] | None
    alt: str


@dataclass(frozen=True)
class FeedLink:
    """The feed of the section an output belongs to."""

    title: str
    path: str


@dataclass(frozen=True)
class HomeLists:
    """What the home page lists."""

    featured: tuple[Card, ...]
    profiles: tuple[Card, ...]
    latest: tuple[Card, ...]
    section_counts: tuple[tuple[Section, int], ...]
    years: tuple[YearSummary, ...]
    intro: Card | None  # the page about the movement, if there is one


@dataclass(frozen=True)
class ReportData:
    """A review's report: the figures known at the end of its year and the posts of its period."""

    results: Results
    posts: tuple[Card, ...]


@dataclass(frozen=True)
class View:
    """Everything one output shows."""

    path: str  # "tin-hoat-dong/x/" (written as index.html) or "404.html"
    template: str
    menu: Menu
    share: Share
    feed: FeedLink | None = None
    page: Page | None = None
    listing: Listing | None = None
    review: Review | None = None
    root_relative: bool = False  # links from the site root (404 is served at any depth)
    cited: tuple[Card, ...] = ()  # documents a post cites
    citing: tuple[Card, ...] = ()  # posts that cite a document
    mentions: tuple[Card, ...] = ()  # posts that link to a role model
    awards: tuple[Commendation, ...] = ()  # commendations in the records for a role model
    home: HomeLists | None = None
    tags: tuple[TagSummary, ...] = ()
    years: tuple[YearSummary, ...] = ()
    report: ReportData | None = None


def menu_for(settings: Settings, current_path: str, known: dict[tuple, Menu] | None = None) -> Menu:
    """The main menu with the current page and its section marked (the same menus are shared via `known`)."""
    marks = tuple((not item.external and item.target == current_path,
                   not item.external and bool(item.target) and current_path.startswith(item.target))
                  for item in settings.menu)
    if known is not None and marks in known:
        return known[marks]
    menu = Menu(tuple(MenuEntry(item.title, item.target, item.external, current, active)
                      for item, (current, active) in zip(settings.menu, marks, strict=True)))
    if known is not None:
        known[marks] = menu
    return menu


def _post_template(page: Page) -> str:
    if page.profile is not None:
        return "profile.html"
    return "document.html" if page.document is not None else "post.html"


@dataclass(frozen=True)
class _Index:
    """Cross-references between pages, worked out once per build."""

    documents: dict[str, Card]  # citation key → document
    citing: dict[str, tuple[Card, ...]]  # citation key → posts citing it
    mentions: dict[str, tuple[Card, ...]]  # site path → posts linking to it
    section_feeds: dict[str, FeedLink]


def _index(site: Site) -> _Index:
    documents: dict[str, Card] = {}
    citing: dict[str, list[Card]] = {}
    mentions: dict[str, list[Card]] = {}
    for post in site.posts:
        card = card_of(post)
        if post.document is not None:
            documents[citation_key(str(post.document.number))] = card
        for key in dict.fromkeys(citation_key(c) for c in post.cites):
            citing.setdefault(key, []).append(card)
        for path in post.links_to:
            mentions.setdefault(path, []).append(card)
    sections_with_posts = {p.section.id for p in site.posts if p.section}
    feeds = {s.id: FeedLink(s.title, f"{s.id}/feed.xml") for s in site.settings.sections if s.id in sections_with_posts}
    return _Index(documents, {k: tuple(v) for k, v in citing.items()}, {k: tuple(v) for k, v in mentions.items()},
                  feeds)


def _share_of_page(page: Page, settings: Settings) -> Share:
    if page.profile is not None:
        title = page.profile.name
    elif page.document is not None:
        title = f"{page.document.doc_type} {page.document.number}: {page.title}"
    else:
        title = page.title
    return Share(title, page.summary or settings.description, "article" if page.is_post else "website",
                 page.date if page.is_post else None, page.updated if page.is_post else None,
                 page.image, page.image_focus, page.image_alt or title)


def _site_share(settings: Settings, title: str | None = None, description: str = "") -> Share:
    return Share(title, description or settings.description, "website", None, None, "", None, settings.title)


def views_of(site: Site, results: Results) -> Iterator[View]:
    """Every output of the site, with what it shows."""
    settings = site.settings
    index = _index(site)
    menus: dict[tuple, Menu] = {}

    def view(path: str, template: str, share: Share, **extra: object) -> View:
        return View(path, template, menu_for(settings, path, menus), share, **extra)  # type: ignore[arg-type]

    yield view("", "home.html", _site_share(settings, settings.title), home=_home_lists(site))
    if results.records.present:
        yield view(f"{RESULTS_DIR}/", "results.html", _site_share(settings))
        for review in results.records.reviews:
            yield view(f"{REPORTS_DIR}/{review.id}/", "report.html", _site_share(settings, "Báo cáo " + review.title),
                       review=review, report=_report(site, results, review))
    for page in site.posts:
        section_feed = index.section_feeds.get(page.section.id) if page.section else None
        extra: dict[str, object] = {}
        if page.document is not None:
            extra["citing"] = index.citing.get(citation_key(str(page.document.number)), ())
        cited = (index.documents.get(citation_key(c)) for c in page.cites)
        extra["cited"] = tuple(dict.fromkeys(d for d in cited if d is not None))
        if page.profile is not None:
            extra["mentions"] = tuple(c for c in index.mentions.get(page.path, ()) if c.path != page.path)
            name = tag_key(page.profile.name)
            extra["awards"] = tuple(c for c in settings.records.commendations if tag_key(c.recipient) == name)
        yield view(page.path, _post_template(page), _share_of_page(page, settings), feed=section_feed, page=page,
                   **extra)
    for page in site.standalone:
        yield view(page.path, "page.html", _share_of_page(page, settings), page=page)
    templates = {"section": "section.html", "tag": "tag.html", "year": "year.html", "gallery": "gallery.html",
                 "documents": "documents.html"}
    for listing in site.listings:
        feed = index.section_feeds.get(listing.key) if listing.kind in ("section", "gallery", "documents") else None
        yield view(listing.path, templates[listing.kind],
                   _site_share(settings, listing.title, listing.description), feed=feed, listing=listing)
    yield view("the/", "tags.html", _site_share(settings), tags=site.tags)
    yield view("luu-tru/", "archive.html", _site_share(settings), years=site.years)
    yield view(f"{SEARCH_DIR}/", "search.html", _site_share(settings))
    yield view("404.html", "404.html", _site_share(settings), root_relative=True)


def _home_lists(site: Site) -> HomeLists:
    news = [p for p in site.posts if p.document is None]
    featured = [card_of(p) for p in news if p.featured and p.profile is None][:HOME_FEATURED]
    profiles = [p for p in site.posts if p.profile]
    chosen = ([p for p in profiles if p.featured] or profiles)[:HOME_PROFILES]
    counts = {}
    for post in site.posts:
        if post.section:
            counts[post.section.id] = counts.get(post.section.id, 0) + 1
    intro = next((card_of(p) for p in site.standalone if p.path == "gioi-thieu/"), None)
    return HomeLists(tuple(featured), tuple(card_of(p) for p in chosen),
                     tuple(card_of(p) for p in news[:site.settings.home_latest]),
                     tuple((s, counts.get(s.id, 0)) for s in site.settings.sections), site.years, intro)


def _report(site: Site, results: Results, review: Review) -> ReportData:
    if review.tag:
        key = tag_key(review.tag)
        posts = tuple(card_of(p) for p in site.posts
                      if p.date.year <= review.year and any(tag_key(t.name) == key for t in p.tags))
    else:
        posts = ()
    return ReportData(results.until(review.year), posts)
