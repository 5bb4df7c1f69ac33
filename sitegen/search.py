"""A static, Vietnamese-aware search index: sharded by word prefix, with one small file per page."""

# Every word is indexed under its folded form (no tones, no marks, đ → d) so "ngheo" finds
# "nghèo", and under a tone key that ignores old/new tone placement ("hoà" = "hòa") so exact
# accented matches can rank first. Pairs of neighbouring words are indexed too, so a phrase
# ("người nghèo") ranks pages with the words together first. The browser downloads only the
# shards of the words typed and the small files of the results it shows (templates/static/js/search.js).

from __future__ import annotations

import hashlib
import itertools
import json
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass

from sitegen.markup import plain_text
from sitegen.model import Page, Site
from sitegen.text import fold, format_date_short, windows_safe

SEARCH_DIR = "tim-kiem"
SHARD_DIR = f"{SEARCH_DIR}/chi-muc"
DOC_DIR = f"{SEARCH_DIR}/bai"
PREFIX = 3  # letters of the folded word that name its shard
EXCERPT_SOURCE = 2000  # characters of page text kept for excerpts
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_TONES = {"\u0300": "2", "\u0301": "5", "\u0303": "4", "\u0309": "3", "\u0323": "6"}


def words(text: str) -> list[str]:
    """Lower-case NFC words of a text (letters and digits)."""
    return _WORD.findall(unicodedata.normalize("NFC", text).lower())


def tone_key(word: str) -> str:
    """A word's letters and its tone, wherever the tone mark sits: "hoà" and "hòa" → "hoa2"."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tone = next((_TONES[c] for c in decomposed if c in _TONES), "1")
    letters = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
    return letters + tone


def shard_name(folded: str) -> str:
    """File name (without .json) of the shard holding a folded word ("con" is "con-": Windows)."""
    return windows_safe(folded[:PREFIX])


@dataclass(frozen=True)
class SearchDocument:
    """What the index knows of one page."""

    path: str
    title: str
    section: str
    date: str
    text: str


def documents(site: Site) -> list[SearchDocument]:
    """Every post, role model, document and standalone page, as search documents."""
    return [_document(page) for page in (*site.posts, *site.standalone)]


def _document(page: Page) -> SearchDocument:
    title = page.title
    if page.document is not None:
        title = f"{page.document.doc_type} {page.document.number}: {page.title}"
    elif page.profile is not None and page.profile.name not in page.title:
        title = f"{page.profile.name}: {page.title}"
    extra = ""
    if page.document is not None:
        extra = f"{page.document.issuer}. {page.document.signer}. "
    elif page.profile is not None:
        extra = f"{page.profile.achievement} {page.profile.place} {page.unit}. "
    text = " ".join(f"{page.summary} {extra}{plain_text(page.html)}".split())
    return SearchDocument(page.path, title, page.section.title if page.section else "",
                          format_date_short(page.date) if page.section else "", text)


def build_index(docs: list[SearchDocument]) -> dict[str, bytes]:
    """The index files by site path: shards, one small file per document, and a manifest."""
    terms: dict[str, dict[str, dict[int, list[int]]]] = defaultdict(lambda: defaultdict(dict))
    pairs: dict[str, Counter[int]] = defaultdict(Counter)
    keys: dict[str, tuple[str, str]] = {}  # word → (folded, tone key): words repeat, folding is slow
    for number, doc in enumerate(docs):
        for weight_index, text in ((0, doc.title), (1, doc.text)):
            folded_tokens = []
            for token in words(text):
                if token not in keys:
                    keys[token] = (fold(token), tone_key(token))
                folded, key = keys[token]
                folded_tokens.append(folded)
                if folded.isascii():
                    counts = terms[folded][key].setdefault(number, [0, 0])
                    counts[weight_index] += 1
            for first, second in itertools.pairwise(folded_tokens):
                pairs[f"{first} {second}"][number] += 1
    shards: dict[str, dict[str, dict]] = defaultdict(lambda: {"t": {}, "p": {}})
    for folded, forms in terms.items():
        shards[shard_name(folded)]["t"][folded] = {
            key: [[doc, title, body] for doc, (title, body) in sorted(postings.items())]
            for key, postings in forms.items()}
    for pair, postings in pairs.items():
        first = pair.split(" ", 1)[0]
        if first.isascii():
            shards[shard_name(first)]["p"][pair] = [[doc, count] for doc, count in sorted(postings.items())]
    files = {f"{SHARD_DIR}/{name}.json": _json(shard) for name, shard in shards.items()}
    for number, doc in enumerate(docs):
        files[f"{DOC_DIR}/{number}.json"] = _json(
            {"u": doc.path, "t": doc.title, "s": doc.section, "d": doc.date, "x": doc.text[:EXCERPT_SOURCE]})
    version = hashlib.sha256(b"".join(files[name] for name in sorted(files))).hexdigest()[:12]
    files[f"{SEARCH_DIR}/chi-muc.json"] = _json({"documents": len(docs), "prefix": PREFIX, "version": version,
                                                 "shards": sorted(shards)})
    return files


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
