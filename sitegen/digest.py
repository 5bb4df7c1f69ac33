"""Stable digests of values (dataclasses, tuples, text, dates): the keys of the build state's caches."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import operator
import pickle
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from pathlib import PurePath


class Digester:
    """Digests values the same way in every process and every build; frozen dataclasses are memoised.

    Only frozen values are memoised (by identity, while the Digester lives), so one build can digest
    a page once however many outputs show it. Values of the kinds in `shared` (cards, pages: shown by
    many outputs) are digested on their own wherever they appear inside another value, which then
    holds only their digest: the thousands of outputs that list the same cards pickle each card once.
    """

    def __init__(self, shared: tuple[type, ...] = ()) -> None:
        self._memo: dict[int, tuple[object, bytes]] = {}
        self._fields: dict[type, tuple[bytes, tuple[tuple[str, bytes], ...], bool]] = {}
        self._shared = frozenset(shared)

    def digest(self, value: object) -> bytes:
        """16 bytes that change whenever the value does."""
        hasher = hashlib.blake2b(digest_size=16)
        self._feed(hasher, value)
        return hasher.digest()

    def hex(self, value: object) -> str:
        """The digest as text."""
        return self.digest(value).hex()

    def _feed(self, hasher: hashlib._Hash, value: object) -> None:  # type: ignore[name-defined]
        if value is None or isinstance(value, bool):
            hasher.update(b"N" if value is None else (b"T" if value else b"F"))
        elif isinstance(value, str):
            data = value.encode("utf-8", "surrogatepass")
            hasher.update(b"s%d:" % len(data))
            hasher.update(data)
        elif isinstance(value, bytes):
            hasher.update(b"b%d:" % len(value))
            hasher.update(value)
        elif isinstance(value, int):
            hasher.update(b"i%d;" % value)
        elif isinstance(value, float):
            hasher.update(b"f" + value.hex().encode() + b";")
        elif isinstance(value, datetime):
            hasher.update(b"t" + value.isoformat().encode() + b";")
        elif isinstance(value, date):
            hasher.update(b"d" + value.isoformat().encode() + b";")
        elif isinstance(value, (tuple, list)):
            hasher.update(b"(%d:" % len(value))
            for item in value:
                self._feed(hasher, item)
            hasher.update(b")")
        elif isinstance(value, (set, frozenset)):
            parts = sorted(self.digest(item) for item in value)
            hasher.update(b"{%d:" % len(parts) + b"".join(parts) + b"}")
        elif isinstance(value, Mapping):
            hasher.update(b"[%d:" % len(value))
            for key in sorted(value, key=repr):
                self._feed(hasher, key)
                self._feed(hasher, value[key])
            hasher.update(b"]")
        elif isinstance(value, PurePath):
            self._feed(hasher, value.as_posix())
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            hasher.update(self._dataclass(value))
        else:
            raise TypeError(f"no stable digest for {type(value).__name__}")

    def _dataclass(self, value: object) -> bytes:
        """A dataclass value (the pages, views, settings of a build): pickled in C, then digested.

        Each dataclass inside it is pickled as its kind's name and the tuple of its fields (faithful:
        two different values never give the same bytes; the same value gives the same bytes in every
        process). A value whose kind has a set field is fed field by field, as a set's order changes
        from one process to the next.
        """
        known = self._memo.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        kind = type(value)
        shape = self._fields.get(kind)
        if shape is None:
            names = tuple((f.name, f.name.encode()) for f in dataclasses.fields(kind))  # type: ignore[arg-type]
            shape = self._fields[kind] = (kind.__qualname__.encode(), names,
                                          kind.__dataclass_params__.frozen)  # type: ignore[attr-defined]
        if _has_set_fields(kind):
            hasher = hashlib.blake2b(shape[0], digest_size=16)
            for name, encoded in shape[1]:
                hasher.update(encoded)
                self._feed(hasher, getattr(value, name))
            result = hasher.digest()
        else:
            buffer = io.BytesIO()
            _Flattening(buffer, self).dump(_fields_of(value))
            result = hashlib.blake2b(buffer.getvalue(), digest_size=16).digest()
        if shape[2]:
            self._memo[id(value)] = (value, result)
        return result


def _fields_of(value: object) -> tuple[object, ...]:
    """A dataclass value as its kind's name and its fields, in order."""
    kind = type(value)
    getter = _GETTERS.get(kind)
    if getter is None:
        names = [f.name for f in dataclasses.fields(kind)]  # type: ignore[arg-type]
        fields = operator.attrgetter(*names) if names else (lambda _: ())
        name = f"{kind.__module__}.{kind.__qualname__}"
        getter = _GETTERS[kind] = (lambda v: (name, fields(v))) if len(names) != 1 else (lambda v: (name, (fields(v),)))
    return getter(value)


_GETTERS: dict[type, Callable[[object], tuple[object, ...]]] = {}


def _flat(name: str, fields: tuple[object, ...]) -> None:
    """What a dataclass inside a digested value is pickled as (never unpickled)."""


def _moment(iso: str, fold: int, zone: str | None, extra: list[tuple[str, object]]) -> None:
    """What a date and time (with the line it was read from, if any) is pickled as (never unpickled)."""


def _digested(digest: bytes) -> None:
    """What a shared value, or one holding a set, stands for inside another's pickle (never unpickled)."""


class _Flattening(pickle.Pickler):
    """Pickles a value with each dataclass inside it as its fields (pickling a class by reference is
    slow), shared values and values holding sets as their own digests."""

    def __init__(self, buffer: io.BytesIO, digester: Digester) -> None:
        super().__init__(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        self._digester = digester

    def reducer_override(self, obj: object) -> object:
        kind = type(obj)
        rule = _RULES.get(kind)
        if rule is None:
            rule = _RULES[kind] = ("moment" if issubclass(kind, datetime) else
                                   "other" if not dataclasses.is_dataclass(kind) else
                                   "digest" if _has_set_fields(kind) else "flat")
        if rule == "other":
            return NotImplemented
        if rule == "moment":  # one call, not datetime's class, time zone and offset pickled one by one
            return _moment, (obj.isoformat(), obj.fold, obj.tzname(),
                             sorted(vars(obj).items()) if hasattr(obj, "__dict__") else ())
        if rule == "digest" or kind in self._digester._shared:
            return _digested, (self._digester._dataclass(obj),)
        return _flat, _fields_of(obj)


_RULES: dict[type, str] = {}  # kind → "flat" (a dataclass), "digest" (one with a set field), "moment" or "other"
_SET_ANNOTATION = re.compile(r"\b(?:frozenset|set|Set|AbstractSet|MutableSet|object|Any)\b")
_SET_KINDS: dict[type, bool] = {}


def _has_set_fields(kind: type) -> bool:
    """Whether any field of this kind of value may hold a set (annotated as one, or as anything at all):
    pickle writes a set in its per-process order, so such values are fed field by field."""
    known = _SET_KINDS.get(kind)
    if known is None:
        known = _SET_KINDS[kind] = any(_SET_ANNOTATION.search(str(f.type))
                                       for f in dataclasses.fields(kind))  # type: ignore[arg-type]
    return known
