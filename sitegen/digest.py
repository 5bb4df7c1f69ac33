"""Stable digests of values (dataclasses, tuples, text, dates): the keys of the build state's caches."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import pickle
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import PurePath


class Digester:
    """Digests values the same way in every process and every build; frozen dataclasses are memoised.

    Only frozen values are memoised (by identity, while the Digester lives), so one build can digest
    a page once however many outputs show it.
    """

    def __init__(self) -> None:
        self._memo: dict[int, tuple[object, bytes]] = {}
        self._fields: dict[type, tuple[bytes, tuple[tuple[str, bytes], ...], bool]] = {}

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
        """A frozen value (the pages, views, settings of a build): pickled in C, then digested.

        Pickling is faithful (two different values never give the same bytes); the same value built the
        same way gives the same bytes in every build. Values holding a set are fed field by field, as
        a set's order changes from one process to the next.
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
        try:
            result = hashlib.blake2b(_pickled(value, kind), digest_size=16).digest()
        except _HasSet:
            hasher = hashlib.blake2b(shape[0], digest_size=16)
            for name, encoded in shape[1]:
                hasher.update(encoded)
                self._feed(hasher, getattr(value, name))
            result = hasher.digest()
        if shape[2]:
            self._memo[id(value)] = (value, result)
        return result


class _HasSet(Exception):  # noqa: N818 - a signal inside the digester, never seen outside
    """A value held a set: digest it field by field."""


class _NoSets(pickle.Pickler):
    def reducer_override(self, obj: object) -> object:
        if isinstance(obj, (set, frozenset)):
            raise _HasSet
        return NotImplemented


_WITHOUT_SETS: set[type] = set()  # kinds of value seen to hold no set: pickled at full speed


def _pickled(value: object, kind: type) -> bytes:
    if kind in _WITHOUT_SETS:
        return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    buffer = io.BytesIO()
    _NoSets(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    if not _set_fields(kind):
        _WITHOUT_SETS.add(kind)
    return buffer.getvalue()


def _set_fields(kind: type) -> bool:
    """Whether any field of this kind of value is annotated as a set (then it is always checked)."""
    return any("set" in str(f.type).lower() for f in dataclasses.fields(kind))  # type: ignore[arg-type]
