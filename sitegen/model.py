"""Frozen dataclasses for every stage: settings, source pages, pages, listings, the site."""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path

from sitegen.publish_model import PublishSettings
from sitegen.records_model import Commendation, Records
from sitegen.text import citation_key, tag_key

# Folders the generator itself writes at the top of the site: no section or page may take them.
GENERATED_FOLDERS = {
    "the": "các trang thẻ", "luu-tru": "trang lưu trữ theo năm", "static": "tệp giao diện",
    "media": "tệp đính kèm", "tim-kiem": "trang tìm kiếm", "ket-qua": "trang kết quả thực hiện",
    "bao-cao": "các trang báo cáo sơ kết, tổng kết",
}

# --- settings (from site_data.yaml) ---------------------------------------------------


@dataclass(frozen=True)
class Agency:
    """The agency that publishes the site; names are data (provinces merge)."""

    name: str
    parent: str
    place: str
    address: str
    phone: str
    email: str
    website: str


@dataclass(frozen=True)
class Section:
    """A folder of posts under content/ with its Vietnamese name."""

    id: str
    title: str
    description: str
    in_menu: bool
    kind: str = "posts"  # "posts", "profiles" (role models) or "documents"


@dataclass(frozen=True)
class MenuItem:
    """A menu entry: a site path ("tin-hoat-dong/", "gioi-thieu/") or an external URL."""

    title: str
    target: str
    external: bool
    line: int | None = None


@dataclass(frozen=True)
class MenuEntry:
    """A menu link as one output shows it: current page, or the section it belongs to."""

    title: str
    target: str  # a site path, or the address of another site
    external: bool
    current: bool
    active: bool


@dataclass(frozen=True)
class Menu:
    """The main menu as one output shows it (the few different menus of a site are shared by its outputs)."""

    entries: tuple[MenuEntry, ...]


@dataclass(frozen=True)
class SocialLink:
    """The agency's page on a social network."""

    name: str
    url: str


@dataclass(frozen=True)
class Settings:
    """Validated site settings."""

    title: str
    short_title: str
    description: str
    base_url: str
    per_page: int
    home_latest: int
    agency: Agency
    sections: tuple[Section, ...]
    pages_folder: str
    menu: tuple[MenuItem, ...]
    social: tuple[SocialLink, ...]
    records: Records
    publish: PublishSettings = field(default_factory=PublishSettings)

    def section(self, section_id: str) -> Section | None:
        """The section with this id, if configured."""
        return next((s for s in self.sections if s.id == section_id), None)


@dataclass(frozen=True)
class BuildOptions:
    """What the person running the build asked for."""

    root: Path
    output: Path
    drafts: bool = False
    future: bool = False
    base_url: str | None = None
    now: datetime | None = None
    deadline: float = 10.0  # seconds one post may take in the Markdown stage before it is refused
    lock_wait: float = 60.0  # seconds to wait for another build of the same project to finish
    clean: bool = False  # ignore the build state kept in .cache/ (build everything again)
    write: bool = True  # False: build and check everything, but leave output/ as it is (check)
    audit: bool = False  # also the checks of `check`: links to places in pages, summaries, titles used twice
    state_name: str = "build"  # the kept state of this output folder (.cache/<name>-…): serve's is "preview"


# --- content ----------------------------------------------------------------------------


SECTION_KINDS = {"posts": "tin bài", "profiles": "điển hình tiên tiến", "documents": "văn bản"}
PROFILE_KINDS = {"ca-nhan": "Cá nhân", "tap-the": "Tập thể", "sang-kien": "Sáng kiến",
                 "cach-lam-hay": "Cách làm hay"}
DOCUMENT_LEVELS = {"trung-uong": "Trung ương", "tinh": "Tỉnh", "co-quan": "Cơ quan"}


@dataclass(frozen=True)
class Profile:
    """A role model: a person, a collective, an initiative or a good practice."""

    name: str
    kind: str  # a key of PROFILE_KINDS
    place: str
    year: int | None
    achievement: str
    commendations: tuple[str, ...]
    sort_name: str

    @property
    def kind_label(self) -> str:
        """Vietnamese name of the kind."""
        return PROFILE_KINDS[self.kind]


@dataclass(frozen=True)
class DocumentNumber:
    """An administrative document's number and notation: 417/KH-UBND, 07/2021/NĐ-CP."""

    number: str
    year: int | None
    notation: str

    def __str__(self) -> str:
        return "/".join(p for p in (self.number, str(self.year) if self.year else "", self.notation) if p)


@dataclass(frozen=True)
class DocumentInfo:
    """An administrative document (văn bản) with the fields state websites must publish."""

    doc_type: str
    number: DocumentNumber
    issued: datetime
    effective: datetime | None
    issuer: str
    signer: str
    level: str  # a key of DOCUMENT_LEVELS
    file: str  # project-relative path of the attached file, or ""
    file_size: int
    placeholder: bool

    @property
    def level_label(self) -> str:
        """Vietnamese name of the level."""
        return DOCUMENT_LEVELS[self.level]

    @property
    def file_type(self) -> str:
        """Upper-case file extension, e.g. PDF."""
        return self.file.rsplit(".", 1)[-1].upper() if "." in self.file else ""


@dataclass(frozen=True)
class FrontMatter:
    """A post's validated front matter."""

    title: str
    date: datetime
    summary: str
    tags: tuple[str, ...]
    image: str
    image_alt: str
    author: str
    unit: str
    slug: str
    draft: bool
    featured: bool
    updated: datetime | None
    cites: tuple[str, ...] = ()  # document numbers, as written ("417/KH-UBND")
    cites_line: int | None = None
    title_line: int | None = None
    image_line: int | None = None
    profile: Profile | None = None
    document: DocumentInfo | None = None
    image_focus: tuple[float, float] | None = None  # where the share crop centres (0–1 across, 0–1 down)


@dataclass(frozen=True)
class SourcePage:
    """A Markdown file as read: where it is, its front matter, its body and where that starts."""

    source: str  # project-relative, posix: "content/tin-hoat-dong/x.md"
    section_id: str
    front: FrontMatter
    body: str
    body_line: int


@dataclass(frozen=True)
class Route:
    """Where a source page is published."""

    source: SourcePage
    path: str  # site path without a leading slash: "tin-hoat-dong/x/"
    is_post: bool


@dataclass(frozen=True)
class TocEntry:
    """A heading in a page's table of contents."""

    level: int
    anchor: str
    title: str
    children: tuple[TocEntry, ...]


@dataclass(frozen=True)
class Tag:
    """A tag as written and its slug."""

    name: str
    slug: str

    @property
    def path(self) -> str:
        """Site path of the tag's page."""
        return f"the/{self.slug}/"


@dataclass(frozen=True)
class PageRef:
    """A light link to another page (for previous/next)."""

    title: str
    path: str


@dataclass(frozen=True)
class Page:
    """A published post or standalone page, ready to render."""

    source: str
    section: Section | None
    path: str
    title: str
    date: datetime
    updated: datetime | None
    summary: str
    tags: tuple[Tag, ...]
    image: str  # project path of the photo ("content/…/anh.jpg") or ""
    image_alt: str
    author: str
    unit: str
    featured: bool
    draft: bool
    body: bytes  # the body's HTML, zlib-compressed (see `html`)
    toc: tuple[TocEntry, ...]
    previous: PageRef | None = None
    next: PageRef | None = None
    profile: Profile | None = None
    document: DocumentInfo | None = None
    cites: tuple[str, ...] = ()  # document numbers this post cites
    links_to: tuple[str, ...] = ()  # site paths of the pages its body links to
    related: tuple[PageRef, ...] = ()
    reading_minutes: int = 1
    image_focus: tuple[float, float] | None = None
    summary_from_body: bool = False  # no summary was written: it is the start of the body
    scheduled: bool = False  # dated after the build (only in a preview built with future posts)

    @property
    def is_post(self) -> bool:
        """Posts belong to a section; standalone pages do not."""
        return self.section is not None

    @property
    def html(self) -> str:
        """The body as safe HTML."""
        return zlib.decompress(self.body).decode("utf-8")


@dataclass(frozen=True)
class Card:
    """What a list shows of a page (never its body, so a list changes only when its cards do)."""

    title: str
    path: str
    date: datetime
    updated: datetime | None
    summary: str
    section: Section | None
    tags: tuple[Tag, ...]
    featured: bool
    image: str
    image_alt: str
    author: str
    unit: str
    profile: Profile | None = None
    document: DocumentInfo | None = None

    @property
    def is_post(self) -> bool:
        """Posts belong to a section; standalone pages do not."""
        return self.section is not None


def card_of(page: Page) -> Card:
    """The card of a page."""
    return Card(page.title, page.path, page.date, page.updated, page.summary, page.section, page.tags,
                page.featured, page.image, page.image_alt, page.author, page.unit, page.profile, page.document)


@dataclass(frozen=True)
class FilterLink:
    """One choice of a gallery filter, with the static page that shows it."""

    title: str
    path: str
    count: int


@dataclass(frozen=True)
class FilterGroup:
    """A set of filter choices (by kind, by year)."""

    title: str
    name: str  # the data attribute the script filters on: "kind" or "year"
    links: tuple[FilterLink, ...]


@dataclass(frozen=True)
class Listing:
    """One page of a list of posts: a section, a tag, a year."""

    kind: str  # "section" | "tag" | "year" | "gallery" | "documents"
    key: str
    title: str
    description: str
    path: str
    pages: tuple[Card, ...]
    number: int
    count: int
    first_path: str
    previous_path: str | None
    next_path: str | None
    total: int
    filters: tuple[FilterGroup, ...] = ()

    def page_path(self, number: int) -> str:
        """Site path of page `number` of this list."""
        return pagination_path(self.first_path, number)


def pagination_path(first_path: str, number: int) -> str:
    """Site path of page `number` of a list: "tin-hoat-dong/", "tin-hoat-dong/trang-2/"."""
    return first_path if number == 1 else f"{first_path}trang-{number}/"


@dataclass(frozen=True)
class TagSummary:
    """A tag with how many posts carry it."""

    tag: Tag
    count: int


@dataclass(frozen=True)
class YearSummary:
    """A year of the archive with how many posts it holds."""

    year: int
    count: int

    @property
    def path(self) -> str:
        """Site path of the year's archive."""
        return f"luu-tru/{self.year}/"


def document_order(page: Page) -> tuple[datetime, str]:
    """How documents are listed (reversed: newest issue date first)."""
    return (page.document.issued if page.document else page.date), page.path


@dataclass(frozen=True)
class Site:
    """Everything a render needs: settings, pages and the lists built from them."""

    settings: Settings
    posts: tuple[Page, ...]  # newest first
    standalone: tuple[Page, ...]
    listings: tuple[Listing, ...]
    tags: tuple[TagSummary, ...]
    years: tuple[YearSummary, ...]

    # Derived lists are computed once per build (cached_property writes past the frozen guard:
    # the site itself never changes) so templates may ask for them on every page.

    @cached_property
    def news(self) -> tuple[Page, ...]:
        """Posts that are news or stories (not documents), newest first."""
        return tuple(p for p in self.posts if p.document is None)

    @cached_property
    def documents(self) -> tuple[Page, ...]:
        """Document pages, newest issue date first."""
        return tuple(sorted((p for p in self.posts if p.document), key=document_order, reverse=True))

    @cached_property
    def _documents_by_number(self) -> dict[str, Page]:
        return {citation_key(str(p.document.number)): p for p in self.documents}

    @cached_property
    def _citations(self) -> dict[str, tuple[Page, ...]]:
        citing: dict[str, list[Page]] = {}
        for post in self.posts:
            for key in dict.fromkeys(citation_key(c) for c in post.cites):
                citing.setdefault(key, []).append(post)
        return {key: tuple(pages) for key, pages in citing.items()}

    @cached_property
    def _mentions(self) -> dict[str, tuple[Page, ...]]:
        mentions: dict[str, list[Page]] = {}
        for post in self.posts:
            for path in post.links_to:
                if path != post.path:
                    mentions.setdefault(path, []).append(post)
        return {path: tuple(pages) for path, pages in mentions.items()}

    def citing(self, page: Page) -> tuple[Page, ...]:
        """Posts whose front matter cites this document."""
        if page.document is None:
            return ()
        return self._citations.get(citation_key(str(page.document.number)), ())

    def cited_by(self, page: Page) -> tuple[Page, ...]:
        """The documents a post cites, in the order cited."""
        found = (self._documents_by_number.get(citation_key(c)) for c in page.cites)
        return tuple(dict.fromkeys(d for d in found if d is not None))

    def mentioning(self, page: Page) -> tuple[Page, ...]:
        """Posts whose body links to this page."""
        return self._mentions.get(page.path, ())

    def commendations_for(self, page: Page) -> tuple[Commendation, ...]:
        """Commendations in the records whose recipient is this role model."""
        if page.profile is None:
            return ()
        name = tag_key(page.profile.name)
        return tuple(c for c in self.settings.records.commendations if tag_key(c.recipient) == name)

    @cached_property
    def featured_profiles(self) -> tuple[Page, ...]:
        """Role models marked featured, else the latest ones."""
        profiles = [p for p in self.posts if p.profile]
        return tuple([p for p in profiles if p.featured] or profiles)

    @cached_property
    def _by_section(self) -> dict[str, tuple[Page, ...]]:
        grouped: dict[str, list[Page]] = {}
        for post in self.posts:
            if post.section:
                grouped.setdefault(post.section.id, []).append(post)
        return {section: tuple(pages) for section, pages in grouped.items()}

    def section_posts(self, section_id: str) -> tuple[Page, ...]:
        """Posts of one section, newest first."""
        return self._by_section.get(section_id, ())

    def tagged(self, name: str) -> tuple[Page, ...]:
        """Posts carrying a tag, whatever its case ("Sơ kết" finds "sơ kết"), newest first."""
        key = tag_key(name)
        return tuple(p for p in self.posts if any(tag_key(t.name) == key for t in p.tags))

    @cached_property
    def featured(self) -> tuple[Page, ...]:
        """News posts marked `featured`, newest first (role models have their own block)."""
        return tuple(p for p in self.news if p.featured and p.profile is None)
