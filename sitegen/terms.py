"""Search words of Vietnamese text: folded forms, tone keys, counts (shared by the Markdown stage and the index)."""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from sitegen.text import FOLD_DROPPED, fold, windows_safe

PREFIX = 3  # letters of the folded word that name its shard
# Words and tone keys are defined twice, here and in templates/static/js/fold.js, and must agree.
_SEPARATOR = "[" + re.escape(FOLD_DROPPED) + "]"
_COMPOUND = re.compile(rf"[^\W_]+(?:{_SEPARATOR}[^\W_]+)*")
_PART = re.compile(r"[^\W_]+")
_DROPPED = str.maketrans(dict.fromkeys(FOLD_DROPPED))
_SEPARATORS = frozenset(FOLD_DROPPED)
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


@functools.lru_cache(maxsize=65536)
def shard_name(folded: str) -> str:
    """File name (without .json) of the shard holding a folded word ("con" is "con-": Windows)."""
    return windows_safe(folded[:PREFIX])


@dataclass(frozen=True)
class TextTerms:
    """The indexed words of a text: (folded, tone key, count) and neighbouring pairs with their count."""

    words: tuple[tuple[str, str, int], ...]
    pairs: tuple[tuple[str, int], ...]


def text_terms(text: str, keys: dict[str, tuple[str, str]] | None = None) -> TextTerms:
    """Count the search words of a text (done where the text is, in the Markdown worker for bodies)."""
    keys = {} if keys is None else keys  # word → (folded, tone key): words repeat, folding is slow
    counts: Counter[tuple[str, str]] = Counter()
    folded_words: list[str] = []
    for compound in compounds(text):
        split = pieces(compound) if not _SEPARATORS.isdisjoint(compound) else (compound,)
        for index, piece in enumerate(split):
            known = keys.get(piece)
            if known is None:
                known = keys[piece] = (fold(piece), tone_key(piece))
            if index == 0:
                folded_words.append(known[0])  # phrases are made of whole words
            if known[0].isascii():
                counts[known] += 1
    pairs = Counter(f"{a} {b}" for a, b in itertools.pairwise(folded_words) if a.isascii())
    return TextTerms(tuple((f, t, n) for (f, t), n in sorted(counts.items())), tuple(sorted(pairs.items())))


