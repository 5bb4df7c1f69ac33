"""Pure model building: pages in order, previous/next, sections, tags, year archives, pagination."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from sitegen.markup import PageMarkup
from sitegen.model import (
    PROFILE_KINDS,
    Card,
    FilterGroup,
    FilterLink,
    Listing,
    Page,
    PageRef,
    Route,
    Section,
    Settings,
    Site,
    Tag,
    TagSummary,
    YearSummary,
    card_of,
    document_order,
    pagination_path,
)
from sitegen.text import collation_key, profile_sort_key, slugify, tag_key, windows_safe

READING_SPEED = 200  # words a minute, a common figure for reading Vietnamese on screen
RELATED_COUNT = 3
RELATED_POOL = 40  # newest posts of each tag that are weighed as related


def make_page(route: Route, markup: PageMarkup, settings: Settings, tag_slugs: dict[str, str],
              now: datetime | None = None) -> Page:
    """A publishable page from its route and rendered body; `now` tells a scheduled post (preview)."""
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
        image=front.image,
        image_alt=front.image_alt,
        author=front.author,
        unit=front.unit,
        featured=front.featured,
        draft=front.draft,
        body=markup.body,
        toc=markup.toc,
        profile=front.profile,
        document=front.document,
        cites=front.cites,
        links_to=tuple(p for p in markup.findings.page_links if p != route.path),
        reading_minutes=max(1, round(markup.words / READING_SPEED)),
        image_focus=front.image_focus,
        summary_from_body=not front.summary,
        scheduled=now is not None and front.date > now,
    )


def assign_tag_slugs(names: Iterable[str]) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """A slug per tag; tags that differ only in tones ("Bão", "Báo") get bao, bao-2 and are reported."""
    slugs: dict[str, str] = {}
    taken: dict[str, str] = {}
    clashes: list[tuple[str, str]] = []
    for name in sorted({tag_key(n): n for n in names}.values(), key=collation_key):
        base = windows_safe(slugify(name) or "the-" + hashlib.sha1(name.encode()).hexdigest()[:6])
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


Links = dict[str, tuple[PageRef | None, PageRef | None, tuple[PageRef, ...]]]
"""Each post's previous, next and related posts, by its path."""


def links_shape(pages: list[Page]) -> tuple:
    """What neighbours and related posts depend on: equal shapes give equal links."""
    return tuple(sorted((p.date, p.path, p.title, tuple(t.slug for t in p.tags), p.section.id if p.section else "")
                        for p in pages if p.is_post))


def build_site(pages: list[Page], settings: Settings, known_links: Links | None = None) -> tuple[Site, Links]:
    """Order pages, link neighbours and related posts, and build every listing, in one sort.

    `known_links` (the last build's, when links_shape is unchanged) saves working the links out again.
    """
    posts = sorted((p for p in pages if p.is_post), key=lambda p: (p.date, p.path), reverse=True)
    if known_links is not None and all(p.path in known_links for p in posts):
        posts = [replace(p, previous=known_links[p.path][0], next=known_links[p.path][1],
                         related=known_links[p.path][2]) for p in posts]
    else:
        posts = _with_related(_with_neighbours(posts))
    links = {p.path: (p.previous, p.next, p.related) for p in posts}
    cards = {p.path: card_of(p) for p in posts}
    standalone = tuple(sorted((p for p in pages if not p.is_post), key=lambda p: collation_key(p.title)))
    by_section: dict[str, list[Page]] = {}
    by_tag: dict[str, list[Card]] = {}
    by_year: dict[int, list[Card]] = {}
    for post in posts:  # newest first, so every group is too
        by_section.setdefault(post.section.id if post.section else "", []).append(post)
        for tag in post.tags:
            by_tag.setdefault(tag.slug, []).append(cards[post.path])
        if post.document is None:
            by_year.setdefault(post.date.year, []).append(cards[post.path])
    listings: list[Listing] = []
    for section in settings.sections:
        section_posts = by_section.get(section.id, [])
        if section.kind == "profiles":
            listings += gallery_listings(section, section_posts)
        elif section.kind == "documents":
            ordered = [cards[p.path] for p in sorted(section_posts, key=document_order, reverse=True)]
            listings += paginate("documents", section.id, section.title, section.description,
                                 f"{section.id}/", ordered, max(len(ordered), 1))
        else:
            listings += paginate("section", section.id, section.title, section.description,
                                 f"{section.id}/", [cards[p.path] for p in section_posts], settings.per_page)
    tags = _tag_summaries(posts)
    for summary in tags:
        listings += paginate("tag", summary.tag.slug, summary.tag.name, "",
                             summary.tag.path, by_tag[summary.tag.slug], settings.per_page)
    years = tuple(YearSummary(year, len(by_year[year])) for year in sorted(by_year, reverse=True))
    for year in years:
        listings += paginate("year", str(year.year), f"Năm {year.year}", "", year.path,
                             by_year[year.year], settings.per_page)
    return Site(settings, tuple(posts), standalone, tuple(listings), tags, years), links


def gallery_listings(section: Section, profiles: list[Page]) -> list[Listing]:
    """The role-model gallery sorted by name, and one static page per kind and per year."""
    ordered = [card_of(p) for p in sorted(profiles, key=lambda p: profile_sort_key(
        p.profile.sort_name or p.profile.name, p.profile.kind == "ca-nhan"))]
    kinds = Counter(p.profile.kind for p in ordered)
    years = Counter(p.profile.year for p in ordered if p.profile.year)
    base = f"{section.id}/"
    filters = (
        FilterGroup("Loại", "kind", tuple(FilterLink(label, f"{base}loai/{key}/", kinds[key])
                                         for key, label in PROFILE_KINDS.items() if kinds[key])),
        FilterGroup("Năm", "year", tuple(FilterLink(str(year), f"{base}nam/{year}/", years[year])
                                        for year in sorted(years, reverse=True))),
    )
    chosen = [(section.title, base, ordered)]
    chosen += [(f"{section.title}: {label}", f"{base}loai/{key}/", [p for p in ordered if p.profile.kind == key])
               for key, label in PROFILE_KINDS.items() if kinds[key]]
    chosen += [(f"{section.title}: năm {year}", f"{base}nam/{year}/", [p for p in ordered if p.profile.year == year])
               for year in sorted(years, reverse=True)]
    return [Listing(kind="gallery", key=section.id, title=title, description=section.description, path=path,
                    pages=tuple(pages), number=1, count=1, first_path=path, previous_path=None, next_path=None,
                    total=len(pages), filters=filters)
            for title, path, pages in chosen]


def _with_related(posts: list[Page]) -> list[Page]:
    """Up to three related posts: most shared tags, then same section, then newest.

    Candidates come from an inverted index of tags (the newest RELATED_POOL posts of each tag) and the
    newest posts of the section, so the work grows with the number of posts, not with its square.
    """
    by_tag: dict[str, list[int]] = {}
    by_section: dict[str, list[int]] = {}
    for index, page in enumerate(posts):
        for tag in page.tags:
            by_tag.setdefault(tag.slug, []).append(index)
        by_section.setdefault(page.section.id if page.section else "", []).append(index)
    tag_sets = [frozenset(t.slug for t in page.tags) for page in posts]
    result = []
    for index, page in enumerate(posts):
        section = page.section.id if page.section else ""
        candidates = {other for tag in tag_sets[index] for other in by_tag[tag][:RELATED_POOL]}
        candidates.update(by_section[section][:RELATED_COUNT + 1])
        candidates.discard(index)

        def score(other: int, index: int = index, section: str = section) -> tuple[int, int]:
            same = (posts[other].section.id if posts[other].section else "") == section
            return -(2 * len(tag_sets[index] & tag_sets[other]) + same), other

        best = sorted(candidates, key=score)[:RELATED_COUNT]
        result.append(replace(page, related=tuple(PageRef(posts[i].title, posts[i].path) for i in best)))
    return result


def _with_neighbours(posts: list[Page]) -> list[Page]:
    """Previous (older) and next (newer) post within the same section."""
    by_section: dict[str, list[int]] = {}
    for index, page in enumerate(posts):
        if page.section:
            by_section.setdefault(page.section.id, []).append(index)
    result = list(posts)
    for members in by_section.values():
        for position, index in enumerate(members):
            newer = posts[members[position - 1]] if position > 0 else None
            older = posts[members[position + 1]] if position + 1 < len(members) else None
            result[index] = replace(posts[index], previous=PageRef(older.title, older.path) if older else None,
                                    next=PageRef(newer.title, newer.path) if newer else None)
    return result


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
             pages: list[Card], per_page: int) -> list[Listing]:
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
