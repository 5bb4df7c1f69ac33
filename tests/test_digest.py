"""The digests that key the build state: stable across processes, and changed by any change inside a value."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from sitegen.digest import Digester
from sitegen.model import Card, Section, Tag
from sitegen.text import VIETNAM_TZ

REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class _Holder:
    """A value with a set inside (as LinkTable has) and a list of cards (as every listing has)."""

    names: frozenset[str]
    cards: tuple[Card, ...]


@dataclass(frozen=True)
class _Loose:
    """A value whose field may hold anything (a set among it, nested in a tuple)."""

    anything: object


@dataclass(frozen=True)
class _List:
    """A list of cards, as a listing's view holds them."""

    title: str
    cards: tuple[Card, ...]


def _card(title: str, tags: tuple[str, ...] = ("Tết",)) -> Card:
    return Card(title, f"tin-hoat-dong/{len(title)}/", datetime(2024, 1, 2, 8, tzinfo=VIETNAM_TZ), None, "Tóm tắt",
                Section("tin-hoat-dong", "Tin hoạt động", "Mô tả", True), tuple(Tag(t, t.lower()) for t in tags),
                False, "", "", "", "")


_IN_CHILD = """
import sys
sys.path.insert(0, {repo!r})
from tests.test_digest import _Holder, _Loose, _card
from sitegen.digest import Digester
from sitegen.model import Card
names = frozenset(f"tên-{{n}}" for n in range(40))
print(Digester(shared=(Card,)).hex(_Holder(names, (_card("Một"), _card("Hai")))))
print(Digester(shared=(Card,)).hex(_Loose((names, 1))))
"""


def test_a_digest_is_the_same_in_every_process() -> None:
    """Bug caught: a set pickled in its per-process order gave each build other keys, so nothing was ever
    reused (every rebuild a full build), or, worse, keys that matched by chance in one run and not the next."""
    digests = set()
    for seed in ("1", "2", "3"):
        result = subprocess.run([sys.executable, "-c", _IN_CHILD.format(repo=str(REPO))], capture_output=True,
                                text=True, env={**os.environ, "PYTHONHASHSEED": seed}, check=True)
        digests.add(result.stdout.strip())
    assert len(digests) == 1, digests


def test_a_change_inside_a_shared_card_changes_the_digest_of_what_holds_it() -> None:
    """Bug caught: a list digested with its cards as references kept its old key when a card's tag or title
    changed, so the tag page showed the old title after the rebuild."""
    first = _List("Tết", (_card("Một"), _card("Hai")))
    changed_tag = replace(first, cards=(_card("Một"), _card("Hai", ("Tết", "Mới"))))
    changed_title = replace(first, cards=(_card("Một"), _card("Hai!")))
    reordered = replace(first, cards=tuple(reversed(first.cards)))
    digests = [Digester(shared=(Card,)).hex(value) for value in (first, changed_tag, changed_title, reordered)]
    assert len(set(digests)) == 4, digests
    again = _List("Tết", (_card("Một"), _card("Hai")))
    assert Digester(shared=(Card,)).hex(first) == Digester(shared=(Card,)).hex(again)


def test_a_changed_date_or_time_zone_changes_the_digest() -> None:
    """Bug caught: dates digested by their text without the time zone (or the minute) kept a page whose
    date had been corrected, so it went on showing the wrong day."""
    moment = datetime(2024, 1, 2, 8, tzinfo=VIETNAM_TZ)
    variants = [moment, moment.replace(minute=1), moment.replace(tzinfo=UTC), moment.replace(tzinfo=None)]
    digests = {Digester().hex(_List("x", (replace(_card("Một"), date=value),))) for value in variants}
    assert len(digests) == len(variants)
