"""Stable digests of values (dataclasses, tuples, text, dates): the keys of the build state's caches."""

from __future__ import annotations

import dataclasses
import hashlib
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
        known = self._memo.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        hasher = hashlib.blake2b(digest_size=16)
        hasher.update(type(value).__qualname__.encode())
        for item in dataclasses.fields(value):  # type: ignore[arg-type]
            hasher.update(item.name.encode())
            self._feed(hasher, getattr(value, item.name))
        result = hasher.digest()
        if type(value).__dataclass_params__.frozen:  # type: ignore[attr-defined]
            self._memo[id(value)] = (value, result)
        return result
