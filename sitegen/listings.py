"""Pure model building: pages in order, previous/next, sections, tags, year archives, pagination."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace

from sitegen.model import (
    PROFILE_KINDS,
    FilterGroup,
    FilterLink,
    Listing,
    MarkupResult,
    Page,
    PageRef,
    Route,
    Section,
    Settings,
    Site,
    Tag,
    TagSummary,
    YearSummary,
    document_order,
    pagination_path,
)
from sitegen.text import collation_key, profile_sort_key, slugify, tag_key, windows_safe

READING_SPEED = 200  # words a minute, a common figure for reading Vietnamese on screen
RELATED_COUNT = 3
RELATED_POOL = 200  # newest posts of a tag that are weighed as related


def make_page(route: Route, markup: MarkupResult, settings: Settings, tag_slugs: dict[str, str],
              links_to: tuple[str, ...] = ()) -> Page:
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
        image=front.image,
        image_alt=front.image_alt,
        author=front.author,
        unit=front.unit,
        featured=front.featured,
        draft=front.draft,
        html=markup.html,
        toc=markup.toc,
        profile=front.profile,
        document=front.document,
        cites=front.cites,
        links_to=links_to,
        reading_minutes=max(1, round(markup.words / READING_SPEED)),
        image_focus=front.image_focus,
        summary_from_body=not front.summary,
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


def build_site(pages: list[Page], settings: Settings) -> Site:
    """Order pages, link neighbours and build every listing."""
    posts = sorted((p for p in pages if p.is_post), key=lambda p: (p.date, p.path), reverse=True)
    posts = _with_related(_with_neighbours(posts, settings))
    standalone = tuple(sorted((p for p in pages if not p.is_post), key=lambda p: collation_key(p.title)))
    listings: list[Listing] = []
    for section in settings.sections:
        section_posts = [p for p in posts if p.section and p.section.id == section.id]
        if section.kind == "profiles":
            listings += gallery_listings(section, section_posts)
        elif section.kind == "documents":
            ordered = sorted(section_posts, key=document_order, reverse=True)
            listings += paginate("documents", section.id, section.title, section.description,
                                 f"{section.id}/", ordered, max(len(ordered), 1))
        else:
            listings += paginate("section", section.id, section.title, section.description,
                                 f"{section.id}/", section_posts, settings.per_page)
    news = [p for p in posts if p.document is None]
    tags = _tag_summaries(posts)
    for summary in tags:
        tagged = [p for p in posts if any(t.slug == summary.tag.slug for t in p.tags)]
        listings += paginate("tag", summary.tag.slug, summary.tag.name, "",
                             summary.tag.path, tagged, settings.per_page)
    years = tuple(YearSummary(year, count) for year, count in
                  sorted(Counter(p.date.year for p in news).items(), reverse=True))
    for year in years:
        in_year = [p for p in news if p.date.year == year.year]
        listings += paginate("year", str(year.year), f"Năm {year.year}", "", year.path,
                             in_year, settings.per_page)
    return Site(settings, tuple(posts), standalone, tuple(listings), tags, years)


def gallery_listings(section: Section, profiles: list[Page]) -> list[Listing]:
    """The role-model gallery sorted by name, and one static page per kind and per year."""
    ordered = sorted(profiles, key=lambda p: profile_sort_key(
        p.profile.sort_name or p.profile.name, p.profile.kind == "ca-nhan"))
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
    """Up to three related posts: most shared tags, then same section, then newest."""
    by_tag: dict[str, list[int]] = {}
    by_section: dict[str, list[int]] = {}
    for index, page in enumerate(posts):
        for tag in page.tags:
            by_tag.setdefault(tag.slug, []).append(index)
        by_section.setdefault(page.section.id if page.section else "", []).append(index)
    result = []
    for index, page in enumerate(posts):
        scores: Counter[int] = Counter()
        for tag in page.tags:
            for other in by_tag[tag.slug][:RELATED_POOL]:  # a tag on every post must not make this quadratic
                scores[other] += 2
        section = by_section[page.section.id if page.section else ""]
        for other in list(scores):
            if posts[other].section == page.section:
                scores[other] += 1
        for other in section[:RELATED_COUNT + 1]:  # newest of the section fill up a short list
            scores.setdefault(other, 1)
        scores.pop(index, None)
        best = sorted(scores, key=lambda other: (-scores[other], other))[:RELATED_COUNT]
        result.append(replace(page, related=tuple(PageRef(posts[i].title, posts[i].path) for i in best)))
    return result


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
