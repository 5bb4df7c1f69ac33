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
import os
import pickle
import sys
import threading
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sitegen.markup import excerpt_start
from sitegen.model import Page
from sitegen.terms import PREFIX, TextTerms, shard_name, text_terms
from sitegen.text import format_date_short
from sitegen.workers import die_with_parent

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
    lead_terms: TextTerms  # the written summary, and the fields of a role model or document
    body_terms: TextTerms


_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_EPOCH = datetime(1990, 1, 1, tzinfo=UTC)


def _base36(number: int, width: int) -> str:
    text = ""
    for _ in range(width):
        number, digit = divmod(number, 36)
        text = _DIGITS[digit] + text
    return text


def document_ids(pages: Iterable[Page]) -> dict[str, str]:
    """A short, stable id for each page: its day (three letters, so sorting puts newer pages first),
    then enough of a hash of its path to tell apart the pages of one day ("8h3k2")."""
    ids: dict[str, str] = {}
    taken: set[str] = set()
    for page in sorted(pages, key=lambda p: p.path):
        day = _base36(max(0, (page.date - _EPOCH).days) % 36**3, 3)
        digest = int.from_bytes(hashlib.blake2b(page.path.encode(), digest_size=8).digest(), "big")
        for width in (2, 4, 8):
            candidate = day + _base36(digest, width)
            if candidate not in taken:
                break
        ids[page.path] = candidate
        taken.add(candidate)
    return ids


@dataclass(frozen=True)
class DocumentParts:
    """What a page's search document is made of besides its body's words (small: kept in the build state)."""

    id: str
    path: str
    title: str
    section: str
    date: str
    lead: str  # the written summary and the fields of a role model or document
    excerpt: str  # the start of the body's text


def parts_of(page: Page, doc_id: str, body_start: str) -> DocumentParts:
    """A page's document parts."""
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
    return DocumentParts(doc_id, page.path, title, page.section.title if page.section else "",
                         format_date_short(page.date) if page.section else "", " ".join(f"{summary} {extra}".split()),
                         body_start)


def make_document(parts: DocumentParts, body: TextTerms, keys: dict[str, tuple[str, str]] | None = None
                  ) -> SearchDocument:
    """The search document of a page from its parts and its body's words."""
    keys = {} if keys is None else keys
    shown = excerpt_start(f"{parts.lead} {parts.excerpt}" if parts.lead else parts.excerpt)
    return SearchDocument(parts.id, parts.path, parts.title, parts.section, parts.date, shown,
                          text_terms(parts.title, keys), text_terms(parts.lead, keys), body)


def document_file(doc: SearchDocument) -> tuple[str, bytes]:
    """The small file of one document (its address, title, section, date and excerpt source)."""
    return f"{DOC_DIR}/{doc.id}.json", _json({"u": doc.path, "t": doc.title, "s": doc.section, "d": doc.date,
                                              "x": doc.excerpt})


_BODY = 1 << 32  # a posting's counts packed in one int: title count + body count × _BODY


def _postings(docs: Iterable[SearchDocument], only: frozenset[str] | None = None,
              keep: Callable[[str], bool] | None = None, files: dict[str, bytes] | None = None) -> dict[str, dict]:
    """shard → {"t": {folded: {tone: {id: packed counts}}}, "p": {pair: {id: count}}} for these docs.

    Only the shards in `only`, or those `keep` accepts; with `files`, each document's own file goes there.
    """
    shards: dict[str, dict] = defaultdict(lambda: {"t": defaultdict(lambda: defaultdict(dict)),
                                                   "p": defaultdict(dict)})
    wanted: dict[str, bool] = {}

    def chosen(name: str) -> bool:
        if name not in wanted:
            wanted[name] = (only is None or name in only) and (keep is None or keep(name))
        return wanted[name]

    for doc in docs:
        doc_id = sys.intern(doc.id)
        if files is not None:
            site_file, data = document_file(doc)
            files[site_file] = data
        for weight, terms in ((1, doc.title_terms), (_BODY, doc.lead_terms), (_BODY, doc.body_terms)):
            for folded, tone, count in terms.words:
                name = shard_name(folded)
                if chosen(name):
                    postings = shards[name]["t"][folded][tone]
                    postings[doc_id] = postings.get(doc_id, 0) + weight * count
        for terms in (doc.lead_terms, doc.body_terms):
            for pair, count in terms.pairs:
                name = shard_name(pair.split(" ", 1)[0])
                if chosen(name):
                    pairs = shards[name]["p"][pair]
                    pairs[doc_id] = pairs.get(doc_id, 0) + count
    return shards


def _shard_bytes(shard: dict) -> bytes:
    """A shard's file: postings as flat lists, newest page first (id, title count, body count, id, …)."""
    terms = {folded: {tone: [value for doc, packed in sorted(postings.items(), reverse=True)
                             for value in (doc, packed % _BODY, packed // _BODY)]
                      for tone, postings in sorted(forms.items())}
             for folded, forms in sorted(shard["t"].items())}
    pairs = {pair: [value for doc, count in sorted(postings.items(), reverse=True) for value in (doc, count)]
             for pair, postings in sorted(shard["p"].items())}
    return _json({"t": terms, "p": pairs})


POSTINGS_PER_PASS = 1_000_000  # postings held at once while the whole index is made (memory stays flat)


def build_index(docs: Callable[[], Iterable[SearchDocument]], count: int, postings: int = 0,
                scratch: Path | None = None) -> Iterator[tuple[str, bytes]]:
    """Every index file (site path, bytes) as it is made: shards, one small file per document, the manifest last.

    `docs` gives the documents anew for each pass; a big site is indexed in several passes, each
    keeping only some shards, so that memory does not grow with the site (`postings`: about how many
    there are, to choose the number of passes). The files of a pass are handed on as soon as the pass
    is done: the caller writes them, and the index is never held whole. With `scratch` (an empty folder
    of the build's own), the words dealt to the passes wait there rather than in memory.
    """
    passes = max(1, -(-postings // POSTINGS_PER_PASS))
    if passes == 1:
        work: Callable[[int], dict[str, bytes]] = lambda number: _index_pass(docs, 1, number)  # noqa: E731
    else:  # each document read once, its words dealt to the passes: no pass reads every document again
        dealt = _deal(docs(), passes, scratch)
        work = lambda number: _index_pass(lambda: _undealt(dealt[number]), passes, number)  # noqa: E731
    digests: dict[str, str] = {}
    for part in run_passes(passes, work):
        for name, data in part.items():
            digests[name] = hashlib.blake2b(data, digest_size=16).hexdigest()
            yield name, data
        part.clear()
    yield MANIFEST, manifest(count, digests)


def _deal(docs: Iterable[SearchDocument], passes: int, scratch: Path | None = None) -> list[_Dealt]:
    """Each document cut into `passes` small ones, each with only the words whose shard that pass makes.

    Every pass keeps every document (the first writes each one's own file), packed to hold little memory,
    in a file of `scratch` when there is one.
    """
    turn: dict[str, int] = {}  # a word (or a pair of words) → its pass: words repeat from page to page

    def pass_of(term: str) -> int:
        name = shard_name(term.split(" ", 1)[0])
        number = turn[term] = zlib.crc32(name.encode()) % passes
        return number

    def cut(terms: TextTerms) -> list[TextTerms]:
        words: list[list[tuple[str, str, int]]] = [[] for _ in range(passes)]
        pairs: list[list[tuple[str, int]]] = [[] for _ in range(passes)]
        for word in terms.words:
            number = turn.get(word[0])
            words[pass_of(word[0]) if number is None else number].append(word)
        for pair in terms.pairs:
            number = turn.get(pair[0])
            pairs[pass_of(pair[0]) if number is None else number].append(pair)
        return [TextTerms(tuple(w), tuple(p)) for w, p in zip(words, pairs, strict=True)]

    dealt: list[_Dealt] = []
    try:
        dealt += [_Dealt(None if scratch is None else scratch / f"search-pass-{number}") for number in range(passes)]
        for doc in docs:
            parts = zip(cut(doc.title_terms), cut(doc.lead_terms), cut(doc.body_terms), strict=True)
            for number, (title, lead, body) in enumerate(parts):
                shown = (SearchDocument(doc.id, doc.path, doc.title, doc.section, doc.date, doc.excerpt, title, lead,
                                        body)
                         if number == 0 else SearchDocument(doc.id, "", "", "", "", "", title, lead, body))
                dealt[number].add(zlib.compress(pickle.dumps(shown, protocol=pickle.HIGHEST_PROTOCOL), 1))
    finally:
        for part in dealt:
            part.close()
    return dealt


class _Dealt:
    """The packed documents of one pass: in memory, or in a file of the build's scratch folder."""

    def __init__(self, path: Path | None) -> None:
        self._path = path
        self._held: list[bytes] = []
        self._file = path.open("wb") if path is not None else None

    def add(self, packed: bytes) -> None:
        if self._file is None:
            self._held.append(packed)
        else:
            self._file.write(len(packed).to_bytes(4, "little") + packed)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()

    def __iter__(self) -> Iterator[bytes]:
        if self._path is None:
            yield from self._held
            return
        with self._path.open("rb") as handle:
            while size := int.from_bytes(handle.read(4), "little"):
                yield handle.read(size)


def _undealt(packed: Iterable[bytes]) -> Iterator[SearchDocument]:
    return (pickle.loads(zlib.decompress(data)) for data in packed)  # our own values, made just above


def _index_pass(docs: Callable[[], Iterable[SearchDocument]], passes: int, number: int) -> dict[str, bytes]:
    """The shards of one pass (and, in the first, every document's own file)."""
    def mine(name: str) -> bool:
        return passes == 1 or zlib.crc32(name.encode()) % passes == number

    files: dict[str, bytes] = {}
    shards = _postings(docs(), keep=mine, files=files if number == 0 else None)
    files.update((f"{SHARD_DIR}/{name}.json", _shard_bytes(shard)) for name, shard in shards.items())
    return files


_PASS: Callable[[int], dict[str, bytes]] | None = None


def _run_pass(number: int) -> dict[str, bytes]:
    assert _PASS is not None
    return _PASS(number)


def run_passes(passes: int, work: Callable[[int], dict[str, bytes]]) -> Iterator[dict[str, bytes]]:
    """The passes' files, pass by pass; two at a time in forked processes where that is safe (Linux, no threads)."""
    if passes < 2 or (os.cpu_count() or 1) < 2 or os.name != "posix" or sys.platform == "darwin" \
            or threading.active_count() > 1:
        for number in range(passes):
            yield work(number)
        return
    import multiprocessing

    global _PASS
    _PASS = work
    try:
        with multiprocessing.get_context("fork").Pool(min(passes, os.cpu_count() or 1), die_with_parent,
                                                      (os.getpid(),)) as pool:
            yield from pool.imap(_run_pass, range(passes))
    finally:
        _PASS = None


@dataclass(frozen=True)
class IndexPatch:
    """The index files a few changed documents touch, and the live ones that stay as they are."""

    files: dict[str, bytes]
    kept: frozenset[str]


def patch_index(new: list[SearchDocument], old: list[SearchDocument], count: int, current_ids: frozenset[str],
                read_live: Callable[[str], bytes | None], live_digests: Mapping[str, str]) -> IndexPatch | None:
    """Only the files a few changed documents touch; None when the live index cannot be patched.

    `new` are the new or changed documents, `old` what the removed or changed ones were in the last
    build, `count` how many documents there are in all and `current_ids` their ids. A shard is
    rewritten only where what a document puts in it changed.
    """
    fresh = {doc.id: _postings([doc]) for doc in new}
    stale = {doc.id: _postings([doc]) for doc in old}
    touched: set[str] = set()
    for doc_id in set(fresh) | set(stale):
        before, after = stale.get(doc_id, {}), fresh.get(doc_id, {})
        touched.update(name for name in set(before) | set(after) if before.get(name) != after.get(name))
    additions = _postings(new, frozenset(touched))
    removing = set(stale) | set(fresh)
    files: dict[str, bytes] = {}
    emptied: set[str] = set()
    for name in sorted(touched):
        site_file = f"{SHARD_DIR}/{name}.json"
        old = read_live(site_file) if site_file in live_digests else b'{"t":{},"p":{}}'
        if old is None:
            return None
        shard = _patched(json.loads(old), removing, additions.get(name))
        if shard["t"] or shard["p"]:
            files[site_file] = _shard_bytes(shard)
        else:
            emptied.add(site_file)
    files.update(document_file(doc) for doc in new)
    digests = {name: digest for name, digest in live_digests.items()
               if name.startswith((SHARD_DIR + "/", DOC_DIR + "/")) and name not in emptied
               and not (name.startswith(DOC_DIR + "/") and name[len(DOC_DIR) + 1:-5] not in current_ids)}
    kept = frozenset(digests) - set(files)
    digests.update({name: hashlib.blake2b(data, digest_size=16).hexdigest() for name, data in files.items()})
    files[MANIFEST] = manifest(count, digests)
    return IndexPatch(files, kept)


def _patched(raw: dict, removing: set[str], additions: dict | None) -> dict:
    """A shard as read from its file, without the postings of `removing` and with `additions`, in the
    order _shard_bytes writes (keys sorted, postings newest first)."""
    terms: dict[str, dict[str, dict[str, int]]] = {}
    for folded, forms in raw["t"].items():
        for tone, flat in forms.items():
            kept = {doc: title + body * _BODY for doc, title, body in zip(flat[::3], flat[1::3], flat[2::3],
                                                                          strict=True) if doc not in removing}
            if kept:
                terms.setdefault(folded, {})[tone] = kept
    pairs: dict[str, dict[str, int]] = {}
    for pair, flat in raw["p"].items():
        kept_pairs = {doc: count for doc, count in zip(flat[::2], flat[1::2], strict=True) if doc not in removing}
        if kept_pairs:
            pairs[pair] = kept_pairs
    if additions:
        for folded, forms in additions["t"].items():
            for tone, postings in forms.items():
                terms.setdefault(folded, {}).setdefault(tone, {}).update(postings)
        for pair, postings in additions["p"].items():
            pairs.setdefault(pair, {}).update(postings)
    return {"t": terms, "p": pairs}


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
