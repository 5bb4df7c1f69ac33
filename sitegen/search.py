"""A static, Vietnamese-aware search index: sharded by word prefix, one small file per page, patchable."""

# Every word is indexed under its folded form (no tones, no marks, đ → d) so "ngheo" finds
# "nghèo", and under a tone key that ignores old/new tone placement ("hoà" = "hòa") so exact
# accented matches can rank first. Pairs of neighbouring words are indexed too, so a phrase
# ("người nghèo") ranks pages with the words together first. The browser downloads only the
# shards of the words typed and the small files of the results it shows (templates/static/js/search.js).
#
# A page's id in the index comes from its date and path ("20240130a1f3"), so it is the same in every
# build, and sorting ids puts newer pages first. A build that changed a few pages rewrites only the
# shards their words are in, and the result is byte for byte what a full build would write.

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from sitegen.markup import excerpt_start
from sitegen.model import Page
from sitegen.terms import PREFIX, TextTerms, shard_name, text_terms
from sitegen.text import format_date_short

SEARCH_DIR = "tim-kiem"
SHARD_DIR = f"{SEARCH_DIR}/chi-muc"
DOC_DIR = f"{SEARCH_DIR}/bai"
MANIFEST = f"{SEARCH_DIR}/chi-muc.json"
@dataclass(frozen=True)
class SearchDocument:
    """What the index knows of one page."""

    id: str
    path: str
    title: str
    section: str
    date: str
    excerpt: str  # the start of the text, shown around the words found
    title_terms: TextTerms
    body_terms: TextTerms  # summary, description and body


def document_ids(pages: Iterable[Page]) -> dict[str, str]:
    """A stable id for each page: its date, then enough of a hash of its path to tell pages apart."""
    ids: dict[str, str] = {}
    taken: set[str] = set()
    for page in sorted(pages, key=lambda p: p.path):
        digest = hashlib.blake2b(page.path.encode(), digest_size=8).hexdigest()
        for length in (4, 8, 16):
            candidate = f"{page.date:%Y%m%d}{digest[:length]}"
            if candidate not in taken:
                break
        ids[page.path] = candidate
        taken.add(candidate)
    return ids


def documents(pages: Iterable[Page], body_terms: Callable[[Page], TextTerms], excerpt: Callable[[Page], str],
              ids: Mapping[str, str]) -> list[SearchDocument]:
    """Pages (posts, role models, documents, standalone pages) as search documents."""
    keys: dict[str, tuple[str, str]] = {}
    return [_document(page, ids[page.path], body_terms(page), excerpt(page), keys) for page in pages]


def _document(page: Page, doc_id: str, body: TextTerms, excerpt: str,
              keys: dict[str, tuple[str, str]]) -> SearchDocument:
    title = page.title
    if page.document is not None:
        title = f"{page.document.doc_type} {page.document.number}: {page.title}"
    elif page.profile is not None and page.profile.name not in page.title:
        title = f"{page.profile.name}: {page.title}"
    extra = ""
    if page.document is not None:
        extra = f"{page.document.issuer}. {page.document.signer}."
    elif page.profile is not None:
        extra = f"{page.profile.achievement} {page.profile.place} {page.unit}."
    summary = "" if page.summary_from_body else page.summary  # else the first paragraph would count twice
    lead = text_terms(f"{summary} {extra}", keys)
    words = Counter({(f, t): n for f, t, n in body.words})
    words.update({(f, t): n for f, t, n in lead.words})
    pairs = Counter(dict(body.pairs))
    pairs.update(dict(lead.pairs))
    merged = TextTerms(tuple((f, t, n) for (f, t), n in sorted(words.items())), tuple(sorted(pairs.items())))
    lead_text = " ".join(f"{summary} {extra}".split())
    shown = excerpt_start(f"{lead_text} {excerpt}" if lead_text else excerpt)
    return SearchDocument(doc_id, page.path, title, page.section.title if page.section else "",
                          format_date_short(page.date) if page.section else "", shown,
                          text_terms(title, keys), merged)


def document_file(doc: SearchDocument) -> tuple[str, bytes]:
    """The small file of one document (its address, title, section, date and excerpt source)."""
    return f"{DOC_DIR}/{doc.id}.json", _json({"u": doc.path, "t": doc.title, "s": doc.section, "d": doc.date,
                                              "x": doc.excerpt})


def shards_of(doc: SearchDocument) -> frozenset[str]:
    """The shards a document's words are in."""
    names = {shard_name(f) for f, _, _ in (*doc.title_terms.words, *doc.body_terms.words)}
    names |= {shard_name(p.split(" ", 1)[0]) for p, _ in doc.body_terms.pairs}
    return frozenset(names)


def _postings(docs: Iterable[SearchDocument], only: frozenset[str] | None = None) -> dict[str, dict]:
    """shard → {"t": {folded: {tone: {id: [title, body]}}}, "p": {pair: {id: count}}} for these docs."""
    shards: dict[str, dict] = defaultdict(lambda: {"t": defaultdict(lambda: defaultdict(dict)),
                                                   "p": defaultdict(dict)})
    for doc in docs:
        for weight, terms in ((0, doc.title_terms), (1, doc.body_terms)):
            for folded, tone, count in terms.words:
                name = shard_name(folded)
                if only is not None and name not in only:
                    continue
                counts = shards[name]["t"][folded][tone].setdefault(doc.id, [0, 0])
                counts[weight] += count
        for pair, count in doc.body_terms.pairs:
            name = shard_name(pair.split(" ", 1)[0])
            if only is None or name in only:
                shards[name]["p"][pair][doc.id] = count
    return shards


def _shard_bytes(shard: dict) -> bytes:
    terms = {folded: {tone: [[doc, *counts] for doc, counts in sorted(postings.items(), reverse=True)]
                      for tone, postings in sorted(forms.items())}
             for folded, forms in sorted(shard["t"].items())}
    pairs = {pair: [[doc, count] for doc, count in sorted(postings.items(), reverse=True)]
             for pair, postings in sorted(shard["p"].items())}
    return _json({"t": terms, "p": pairs})


def _read_shard(data: bytes) -> dict:
    """A shard file back into postings."""
    raw = json.loads(data)
    shard = {"t": defaultdict(lambda: defaultdict(dict)), "p": defaultdict(dict)}
    for folded, forms in raw["t"].items():
        for tone, postings in forms.items():
            for doc, title, body in postings:
                shard["t"][folded][tone][doc] = [title, body]
    for pair, postings in raw["p"].items():
        for doc, count in postings:
            shard["p"][pair][doc] = count
    return shard


def build_index(docs: list[SearchDocument]) -> dict[str, bytes]:
    """Every index file by site path: shards, one small file per document, and the manifest."""
    files = {f"{SHARD_DIR}/{name}.json": _shard_bytes(shard) for name, shard in _postings(docs).items()}
    files.update(document_file(doc) for doc in docs)
    files[MANIFEST] = manifest(len(docs), {n: hashlib.blake2b(b, digest_size=16).hexdigest()
                                           for n, b in files.items()})
    return files


@dataclass(frozen=True)
class IndexPatch:
    """The index files a few changed documents touch, and the live ones that stay as they are."""

    files: dict[str, bytes]
    kept: frozenset[str]


def patch_index(new: list[SearchDocument], count: int, current_ids: frozenset[str],
                removed: Mapping[str, frozenset[str]], read_live: Callable[[str], bytes | None],
                live_digests: Mapping[str, str]) -> IndexPatch | None:
    """Only the files a few changed documents touch; None when the live index cannot be patched.

    `new` are the new or changed documents, `count` how many documents there are in all, `current_ids`
    their ids, `removed` the ids (with their old shards) of documents gone or changed.
    """
    touched = set().union(*removed.values()) | set().union(*(shards_of(doc) for doc in new)) if (removed or new) \
        else set()
    gone = set(removed) | {doc.id for doc in new}
    fresh = _postings(new, frozenset(touched))
    files: dict[str, bytes] = {}
    emptied: set[str] = set()
    for name in sorted(touched):
        site_file = f"{SHARD_DIR}/{name}.json"
        old = read_live(site_file) if site_file in live_digests else b'{"t":{},"p":{}}'
        if old is None:
            return None
        shard = _read_shard(old)
        for forms in shard["t"].values():
            for postings in forms.values():
                for doc in gone & postings.keys():
                    del postings[doc]
        for postings in shard["p"].values():
            for doc in gone & postings.keys():
                del postings[doc]
        for folded, forms in fresh.get(name, {"t": {}})["t"].items():
            for tone, postings in forms.items():
                shard["t"][folded][tone].update(postings)
        for pair, postings in fresh.get(name, {"p": {}})["p"].items():
            shard["p"][pair].update(postings)
        shard["t"] = {f: {t: p for t, p in forms.items() if p} for f, forms in shard["t"].items()}
        shard["t"] = {f: forms for f, forms in shard["t"].items() if forms}
        shard["p"] = {pair: p for pair, p in shard["p"].items() if p}
        if shard["t"] or shard["p"]:
            files[site_file] = _shard_bytes(shard)
        else:
            emptied.add(site_file)
    files.update(document_file(doc) for doc in new)
    digests = {name: digest for name, digest in live_digests.items()
               if name.startswith((SHARD_DIR + "/", DOC_DIR + "/")) and name not in emptied
               and not (name.startswith(DOC_DIR + "/") and name[len(DOC_DIR) + 1:-5] in removed
                        and name[len(DOC_DIR) + 1:-5] not in current_ids)}
    kept = frozenset(digests) - set(files)
    digests.update({name: hashlib.blake2b(data, digest_size=16).hexdigest() for name, data in files.items()})
    files[MANIFEST] = manifest(count, digests)
    return IndexPatch(files, kept)


def manifest(count: int, digests: Mapping[str, str]) -> bytes:
    """The manifest: how many documents, which shards exist, and a version made from every index file."""
    names = sorted(n for n in digests if n != MANIFEST)
    version = hashlib.sha256("".join(f"{n}:{digests[n]}\n" for n in names).encode()).hexdigest()[:12]
    shards = sorted(n[len(SHARD_DIR) + 1:-5] for n in names if n.startswith(SHARD_DIR + "/"))
    return _json({"documents": count, "prefix": PREFIX, "version": version, "shards": shards})


def index_files(files: Iterable[str]) -> set[str]:
    """Which of these site files belong to the search index (all but the search page)."""
    return {f for f in files if f.startswith((SHARD_DIR + "/", DOC_DIR + "/")) or f == MANIFEST}


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
