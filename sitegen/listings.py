"""Pure model building: pages in order, previous/next, sections, tags, year archives, pagination."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace

from sitegen.model import (
    Listing,
    MarkupResult,
    Page,
    PageRef,
    Route,
    Settings,
    Site,
    Tag,
    TagSummary,
    YearSummary,
    pagination_path,
)
from sitegen.routes import attachment_path
from sitegen.text import collation_key, slugify, tag_key


def make_page(route: Route, markup: MarkupResult, settings: Settings, tag_slugs: dict[str, str]) -> Page:
    """A publishable page from its route and rendered body."""
    front = route.source.front
    tags = _page_tags(front.tags, tag_slugs)
    return Page(
        source=route.source.source,
        section=settings.section(route.source.section_id) if route.is_post else None,
        path=route.path,
        title=front.title,
        date=front.date,
        updated=front.updated,
        summary=front.summary or markup.excerpt,
        tags=tags,
        image=attachment_path(front.image) if front.image else "",
        image_alt=front.image_alt,
        author=front.author,
        unit=front.unit,
        featured=front.featured,
        draft=front.draft,
        html=markup.html,
        toc=markup.toc,
    )


def assign_tag_slugs(names: Iterable[str]) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """A slug per tag; tags that differ only in tones ("Bão", "Báo") get bao, bao-2 and are reported."""
    slugs: dict[str, str] = {}
    taken: dict[str, str] = {}
    clashes: list[tuple[str, str]] = []
    for name in sorted({tag_key(n): n for n in names}.values(), key=collation_key):
        base = slugify(name) or "the-" + hashlib.sha1(name.encode()).hexdigest()[:6]
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        if number > 1:
            clashes.append((taken[base], name))
        taken[slug] = name
        slugs[tag_key(name)] = slug
    return slugs, clashes


def _page_tags(names: tuple[str, ...], slugs: dict[str, str]) -> tuple[Tag, ...]:
    """Tags in the order written, once each ("Tết" and "tết" are the same tag)."""
    unique: dict[str, Tag] = {}
    for name in names:
        unique.setdefault(tag_key(name), Tag(name, slugs[tag_key(name)]))
    return tuple(unique.values())


def build_site(pages: list[Page], settings: Settings) -> Site:
    """Order pages, link neighbours and build every listing."""
    posts = sorted((p for p in pages if p.is_post), key=lambda p: (p.date, p.path), reverse=True)
    posts = _with_neighbours(posts, settings)
    standalone = tuple(sorted((p for p in pages if not p.is_post), key=lambda p: collation_key(p.title)))
    listings: list[Listing] = []
    for section in settings.sections:
        section_posts = [p for p in posts if p.section and p.section.id == section.id]
        listings += paginate("section", section.id, section.title, section.description,
                             f"{section.id}/", section_posts, settings.per_page)
    tags = _tag_summaries(posts)
    for summary in tags:
        tagged = [p for p in posts if any(t.slug == summary.tag.slug for t in p.tags)]
        listings += paginate("tag", summary.tag.slug, summary.tag.name, "",
                             summary.tag.path, tagged, settings.per_page)
    years = tuple(YearSummary(year, count) for year, count in
                  sorted(Counter(p.date.year for p in posts).items(), reverse=True))
    for year in years:
        in_year = [p for p in posts if p.date.year == year.year]
        listings += paginate("year", str(year.year), f"Năm {year.year}", "", year.path,
                             in_year, settings.per_page)
    return Site(settings, tuple(posts), standalone, tuple(listings), tags, years)


def _with_neighbours(posts: list[Page], settings: Settings) -> list[Page]:
    """Previous (older) and next (newer) post within the same section."""
    result = {id(p): p for p in posts}
    for section in settings.sections:
        in_section = [p for p in posts if p.section and p.section.id == section.id]
        for index, page in enumerate(in_section):
            newer = in_section[index - 1] if index > 0 else None
            older = in_section[index + 1] if index + 1 < len(in_section) else None
            result[id(page)] = replace(
                page,
                previous=PageRef(older.title, older.path) if older else None,
                next=PageRef(newer.title, newer.path) if newer else None,
            )
    return [result[id(p)] for p in posts]


def _tag_summaries(posts: list[Page]) -> tuple[TagSummary, ...]:
    """Tags with their post counts, in Vietnamese alphabetical order.

    Spellings that share a slug ("Tết", "tết") are one tag, shown in its most used spelling
    (a capitalised one on a tie).
    """
    spellings: dict[str, Counter[str]] = {}
    for page in posts:
        for tag in page.tags:
            spellings.setdefault(tag.slug, Counter())[tag.name] += 1
    summaries = []
    for slug, names in spellings.items():
        name = max(names, key=lambda n: (names[n], n[:1].isupper(), n))
        summaries.append(TagSummary(Tag(name, slug), sum(names.values())))
    return tuple(sorted(summaries, key=lambda s: collation_key(s.tag.name)))


def paginate(kind: str, key: str, title: str, description: str, first_path: str,
             pages: list[Page], per_page: int) -> list[Listing]:
    """Split a list of pages into numbered listing pages (at least one, even if empty)."""
    chunks = [pages[i:i + per_page] for i in range(0, len(pages), per_page)] or [[]]
    count = len(chunks)
    return [
        Listing(
            kind=kind, key=key, title=title, description=description,
            path=pagination_path(first_path, number), pages=tuple(chunk), number=number,
            count=count, first_path=first_path,
            previous_path=pagination_path(first_path, number - 1) if number > 1 else None,
            next_path=pagination_path(first_path, number + 1) if number < count else None,
            total=len(pages),
        )
        for number, chunk in enumerate(chunks, start=1)
    ]
