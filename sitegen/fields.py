"""Typed reading of YAML mappings with Vietnamese, located messages for every mistake."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, SupportsIndex

from sitegen.errors import Diagnostics
from sitegen.text import normalize_text, parse_local_datetime, strip_marks
from sitegen.yamlsource import YamlFloat, YamlList, YamlMap, line_of

# Vietnamese names staff give to fields, folded (no marks, lower case, "_" between words) → the field's name.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # not tab, line breaks
_VIETNAMESE_KEYS: dict[str, tuple[str, ...]] = {
    "tieu_de": ("title",), "tieude": ("title",), "ten_bai": ("title",), "ten": ("title", "name"),
    "ngay": ("date",), "ngay_dang": ("date",), "thoi_gian": ("date",),
    "tom_tat": ("summary",), "mo_ta": ("summary", "description"), "the": ("tags",), "tu_khoa": ("tags",),
    "anh": ("image",), "hinh": ("image",), "hinh_anh": ("image",), "anh_dai_dien": ("image",),
    "mo_ta_anh": ("image_alt",), "chu_thich_anh": ("image_alt",), "tac_gia": ("author",),
    "nguoi_viet": ("author",), "don_vi": ("unit",), "nhap": ("draft",), "ban_nhap": ("draft",),
    "noi_bat": ("featured",), "cap_nhat": ("updated",), "ngay_cap_nhat": ("updated",),
    "van_ban": ("documents",), "duong_dan": ("slug", "link", "url"), "lien_ket": ("link", "url"),
}
_KEY_SEPARATORS = re.compile(r"[\s\-.]+")


@dataclass(frozen=True)
class FieldReader:
    """Reads the fields of one YAML mapping, reporting problems to `diagnostics`."""

    mapping: YamlMap
    path: str
    diagnostics: Diagnostics
    where: str = ""  # e.g. "sections[2]" to name nested items in messages

    def line(self, key: str) -> int | None:
        """Line of `key`, or of the mapping itself when the key is absent."""
        return line_of(self.mapping, key, self.mapping.line or None)

    def _name(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def _missing(self, key: str) -> None:
        self.diagnostics.error(self.path, self.mapping.line or None,
                               f"thiếu mục bắt buộc '{self._name(key)}'")

    def _wrong_type(self, key: str, expected: str, value: Any) -> None:
        self.diagnostics.error(self.path, self.line(key),
                               f"'{self._name(key)}' phải là {expected}, "
                               f"nhưng đang là {describe(value)}")

    def text(self, key: str, required: bool = False, default: str = "") -> str:
        """A string field (numbers are accepted as text, NFC-normalised)."""
        value = self.mapping.get(key)
        if value is None:
            if required:
                self._missing(key)
            return default
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self._wrong_type(key, "chữ (hãy đặt trong ngoặc kép)", value)
            return default
        text = self._visible(key, normalize_text(_as_written(value))).strip()
        if required and not text:
            self.diagnostics.error(self.path, self.line(key), f"'{self._name(key)}' không được để trống")
        return text

    def _visible(self, key: str, text: str) -> str:
        """The text without control characters (a "\\0" escape, a paste from another program), said once."""
        if not _CONTROL.search(text):
            return text
        self.diagnostics.warn(self.path, self.line(key), f"'{self._name(key)}' có ký tự điều khiển không nhìn thấy "
                                                         "(thường do dán từ phần mềm khác hoặc mã \\0, \\x01…); "
                                                         "đã bỏ đi, hãy xem lại chữ này")
        return _CONTROL.sub("", text)

    def integer(self, key: str, default: int, minimum: int = 0, maximum: int = 10**12, unit: str = "",
                example: str = "1500 chứ không phải 1.500") -> int:
        """A whole number within [minimum, maximum]; `1.500` (YAML's 1,5) gets a clear hint."""
        value = self.mapping.get(key)
        if value is None:
            return default
        if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
            value = int(value.strip())  # year: "2023" in quotes means 2023
        if isinstance(value, float) or (isinstance(value, str) and value.replace(".", "").isdigit()):
            self.diagnostics.error(self.path, self.line(key),
                                   f"'{self._name(key)}' phải là số nguyên{unit} viết liền, không có dấu chấm "
                                   f"ngăn cách hàng nghìn (ví dụ {example}; YAML hiểu 1.500 là 1,5)")
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self._wrong_type(key, "số nguyên", value)
            return default
        if not minimum <= value <= maximum:
            self.diagnostics.error(self.path, self.line(key),
                                   f"'{self._name(key)}' phải nằm trong khoảng {minimum}–{maximum}")
            return default
        return value

    def optional_integer(self, key: str, minimum: int = 0, maximum: int = 10**12) -> int | None:
        """A whole number, or None when the key is absent."""
        if self.mapping.get(key) is None:
            return None
        return self.integer(key, default=minimum, minimum=minimum, maximum=maximum)

    def decimal(self, key: str, minimum: float, maximum: float) -> float | None:
        """A number that may have decimals (written with a dot in YAML: 1.5), or None when absent."""
        value = self.mapping.get(key)
        if value is None:
            return None
        if isinstance(value, str) and value.replace(",", "", 1).isdigit():
            self.diagnostics.error(self.path, self.line(key),
                                   f"'{self._name(key)}' là số thập phân: trong YAML viết dấu chấm "
                                   f"(1.5), không viết dấu phẩy (1,5)")
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self._wrong_type(key, "số", value)
            return None
        if not minimum <= value <= maximum:
            self.diagnostics.error(self.path, self.line(key),
                                   f"'{self._name(key)}' phải nằm trong khoảng {minimum:g}–{maximum:g}")
            return None
        return float(value)

    def moment(self, key: str, required: bool = False, what: str = "") -> datetime | None:
        """A date, or date and time, in Viet Nam time: 2024-01-30, 2024-01-30 09:00 or 30/01/2024."""
        value = self.mapping.get(key)
        hint = "viết dạng 2024-01-30, 2024-01-30 09:00 hoặc 30/01/2024"
        if value is None:
            if required:
                self.diagnostics.error(self.path, self.mapping.line or None,
                                       f"thiếu mục bắt buộc '{self._name(key)}'{f' ({what})' if what else ''}; "
                                       f"{hint}")
            return None
        moment = parse_local_datetime(value)
        if moment is None:
            self.diagnostics.error(self.path, self.line(key),
                                   f"'{self._name(key)}' không phải ngày hợp lệ ({describe(value)}); {hint}")
            return None
        return LocatedMoment.at(moment, self.line(key))

    def day(self, key: str, required: bool = False) -> date | None:
        """A calendar date written as 2024-01-30 or 30/01/2024."""
        moment = self.moment(key, required)
        return moment.date() if moment else None

    def flag(self, key: str, default: bool = False) -> bool:
        """A true/false field."""
        value = self.mapping.get(key)
        if value is None:
            return default
        if isinstance(value, str) and value.strip().lower() in ("true", "false"):
            return value.strip().lower() == "true"  # draft: "true" in quotes means true
        if not isinstance(value, bool):
            self._wrong_type(key, "true hoặc false", value)
            return default
        return value

    def text_list(self, key: str) -> tuple[str, ...]:
        """A list of strings; a single string with commas is accepted too."""
        value = self.mapping.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            items: list[Any] = [part for part in value.split(",")]
        elif isinstance(value, YamlList):
            items = list(value)
        else:
            self._wrong_type(key, "danh sách, ví dụ [Tết, Bon Jun Júh]", value)
            return ()
        result = []
        for index, item in enumerate(items):
            if isinstance(item, bool) or not isinstance(item, (str, int, float)):
                line = line_of(value, index, self.line(key))
                self.diagnostics.error(self.path, line,
                                       f"mỗi phần tử của '{self._name(key)}' phải là chữ")
                continue
            text = self._visible(key, normalize_text(_as_written(item))).strip()
            if text:
                result.append(text)
        return tuple(result)

    def mapping_list(self, key: str) -> list[tuple[int, YamlMap]]:
        """A list of mappings with their indexes (anything else is reported)."""
        value = self.mapping.get(key)
        if value is None:
            return []
        if not isinstance(value, YamlList):
            self._wrong_type(key, "danh sách", value)
            return []
        result = []
        for index, item in enumerate(value):
            if isinstance(item, YamlMap):
                result.append((index, item))
            else:
                self.diagnostics.error(self.path, line_of(value, index),
                                       f"mỗi phần tử của '{self._name(key)}' phải là một nhóm "
                                       f"các mục 'tên: giá trị'")
        return result

    def child(self, key: str, required: bool = False) -> FieldReader | None:
        """A reader for a nested mapping."""
        value = self.mapping.get(key)
        if value is None:
            if required:
                self._missing(key)
            return None
        if not isinstance(value, YamlMap):
            self._wrong_type(key, "một nhóm các mục 'tên: giá trị'", value)
            return None
        return FieldReader(value, self.path, self.diagnostics, self._name(key))

    def warn_unknown(self, known: set[str]) -> None:
        """Warn about keys nobody reads (usually a typo), naming the valid key meant when one is close."""
        for key in self.mapping:
            if key in known:
                continue
            name = self._name(str(key))
            meant = suggest_key(str(key), known)
            if meant is None:
                message = (f"mục '{name}' không được dùng "
                           f"(viết sai tên? các mục hợp lệ: {', '.join(sorted(known))})")
            elif meant in self.mapping:
                message = (f"mục '{name}' không được dùng — có phải '{meant}'? Mục '{meant}' đã có ở dòng "
                           f"{self.line(meant)}, nên dòng này bị bỏ qua; hãy xóa một trong hai dòng")
            else:
                message = (f"mục '{name}' không được dùng — có phải '{meant}'? Giá trị của dòng này đang bị "
                           f"bỏ qua; hãy sửa tên mục thành '{meant}'")
            self.diagnostics.warn(self.path, self.line(str(key)), message)


class LocatedMoment(datetime):
    """A date and time read from YAML that remembers its line, so a later stage can point at it."""

    line: int | None = None

    @classmethod
    def at(cls, moment: datetime, line: int | None) -> LocatedMoment:
        """`moment` (equal to it, same hash) carrying the line where it is written."""
        located = cls(moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second,
                      moment.microsecond, moment.tzinfo, fold=moment.fold)
        located.line = line
        return located

    def __reduce_ex__(self, protocol: SupportsIndex) -> tuple[Any, ...]:
        """Pickled with its line (datetime's own pickling would drop it): the build state keeps posts."""
        plain = datetime(self.year, self.month, self.day, self.hour, self.minute, self.second, self.microsecond,
                         self.tzinfo, fold=self.fold)
        return (_located_moment, (plain, self.line))


def _located_moment(moment: datetime, line: int | None) -> LocatedMoment:
    return LocatedMoment.at(moment, line)


def moment_line(moment: date | None) -> int | None:
    """The line where a date read by FieldReader is written, or None when it is not known."""
    return getattr(moment, "line", None)


def suggest_key(key: str, known: set[str] | frozenset[str]) -> str | None:
    """The valid key staff most likely meant by `key`: same letters, a Vietnamese name, or a close spelling."""
    folded = _fold_key(key)
    valid = sorted(str(k) for k in known)
    by_fold = {_fold_key(k): k for k in valid}
    if folded in by_fold:
        return by_fold[folded]  # "Title", "image-alt", "Tiêu_đề" written like a valid one
    for meant in _VIETNAMESE_KEYS.get(folded, ()):
        if meant in known:
            return meant
    close = difflib.get_close_matches(folded, list(by_fold), n=1, cutoff=0.75)
    return by_fold[close[0]] if close else None


def _fold_key(key: str) -> str:
    """A key without marks, case or separators: "Tóm tắt" → "tom_tat", "image-alt" → "image_alt"."""
    return _KEY_SEPARATORS.sub("_", strip_marks(normalize_text(key)).casefold().strip())


def _as_written(value: str | int | float) -> str:
    """A scalar as the author typed it: `title: 1.500` stays "1.500", not "1.5"."""
    return value.source if isinstance(value, YamlFloat) and value.source else str(value)


def describe(value: Any) -> str:
    """Say in Vietnamese what kind of value staff wrote."""
    if isinstance(value, bool):
        return f"giá trị đúng/sai ({'true' if value else 'false'})"
    if isinstance(value, int):
        return f"số {value}"
    if isinstance(value, float):
        return f"số thập phân {value}"
    if isinstance(value, (YamlList, list)):
        return "một danh sách"
    if isinstance(value, (YamlMap, dict)):
        return "một nhóm mục"
    return f"'{value}'"
