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

from sitegen.model import Page, Site
from sitegen.text import FOLD_DROPPED, fold, format_date_short, windows_safe

SEARCH_DIR = "tim-kiem"
SHARD_DIR = f"{SEARCH_DIR}/chi-muc"
DOC_DIR = f"{SEARCH_DIR}/bai"
PREFIX = 3  # letters of the folded word that name its shard
EXCERPT_SOURCE = 2000  # characters of page text kept for excerpts
# Words and tone keys are defined twice, here and in templates/static/js/fold.js, and must agree.
_SEPARATOR = "[" + re.escape(FOLD_DROPPED) + "]"
_COMPOUND = re.compile(rf"[^\W_]+(?:{_SEPARATOR}[^\W_]+)*")
_PART = re.compile(r"[^\W_]+")
_DROPPED = str.maketrans(dict.fromkeys(FOLD_DROPPED))
_TONES = {"\u0300": "2", "\u0301": "5", "\u0303": "4", "\u0309": "3", "\u0323": "6"}


def compounds(text: str) -> list[str]:
    """Lower-case NFC words of a text, names joined by apostrophes or hyphens kept whole ("r'lấp")."""
    return _COMPOUND.findall(unicodedata.normalize("NFC", text).lower())


def pieces(compound: str) -> list[str]:
    """What a word is indexed under: itself, then its parts if it has any ("r'lấp" → r'lấp, r, lấp)."""
    parts = _PART.findall(compound)
    return [compound, *parts] if len(parts) > 1 else [compound]


def words(text: str) -> list[str]:
    """Folded search words of a text: each compound whole, then its parts ("Đắk R'Lấp" → dak, rlap, r, lap)."""
    return [fold(piece) for compound in compounds(text) for piece in pieces(compound)]


def tone_key(word: str) -> str:
    """A word's letters and its tone, wherever the tone mark sits: "hoà" and "hòa" → "hoa2"."""
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFC", word).lower().translate(_DROPPED))
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
    summary = "" if page.summary_from_body else page.summary  # else the first paragraph would count twice
    text = " ".join(f"{summary} {extra}{page.text}".split())
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
            for compound in compounds(text):
                for index, piece in enumerate(pieces(compound)):
                    if piece not in keys:
                        keys[piece] = (fold(piece), tone_key(piece))
                    folded, key = keys[piece]
                    if index == 0:
                        folded_tokens.append(folded)  # phrases are made of whole words
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
            {"u": doc.path, "t": doc.title, "s": doc.section, "d": doc.date, "x": _cut_at_word(doc.text)})
    version = hashlib.sha256(b"".join(files[name] for name in sorted(files))).hexdigest()[:12]
    files[f"{SEARCH_DIR}/chi-muc.json"] = _json({"documents": len(docs), "prefix": PREFIX, "version": version,
                                                 "shards": sorted(shards)})
    return files


def _cut_at_word(text: str, limit: int = EXCERPT_SOURCE) -> str:
    """The start of a text for excerpts, ending at a word boundary (a cut word would show as "vận độn")."""
    if len(text) <= limit:
        return text
    return text[:limit + 1].rsplit(" ", 1)[0]


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
