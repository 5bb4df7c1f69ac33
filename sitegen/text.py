"""Vietnamese text: normalisation, slugs, search folding, collation, dates and numbers."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime, timedelta, timezone

# Viet Nam has kept UTC+07:00 without daylight saving since 1975, so a fixed
# offset is exact and needs no tz database (Windows ships none).
VIETNAM_TZ = timezone(timedelta(hours=7), "Asia/Ho_Chi_Minh")

# Đ/đ, and the look-alike Ð/ð (U+00D0/U+00F0) that text converted from old encodings carries.
_D_STROKE = str.maketrans({"đ": "d", "Đ": "D", "ð": "d", "Ð": "D"})
# File names Windows keeps for devices: a page or file called so cannot be written there.
WINDOWS_RESERVED = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
                              *(f"lpt{i}" for i in range(1, 10))})


def windows_safe(name: str) -> str:
    """A file or folder name Windows can create: "con" → "con-", anything else unchanged."""
    return f"{name}-" if name.lower() in WINDOWS_RESERVED else name
# Alt text written where the real description is still to come (imported Word pictures): the build warns.
ALT_PLACEHOLDER = "CẦN VIẾT MÔ TẢ ẢNH"

_APOSTROPHES = re.compile(r"['’‘ʼ`]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def normalize_text(text: str) -> str:
    """Return text in NFC with LF line endings (CRLF and lone CR become LF)."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def strip_marks(text: str) -> str:
    """Remove every mark (Unicode category M) and map đ/Đ to d/D ("Đắk Nông" → "Dak Nong")."""
    decomposed = unicodedata.normalize("NFD", text.translate(_D_STROKE))
    return "".join(ch for ch in decomposed if not unicodedata.category(ch).startswith("M"))


SLUG_MAX = 80  # file names stay well inside every file system's limit


_ALREADY_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slugify(text: str, separator: str = "-") -> str:
    """Lower-case ASCII slug: "Đắk R'Lấp" → "dak-rlap"; may be empty for punctuation only."""
    if separator == "-" and len(text) <= SLUG_MAX and _ALREADY_SLUG.match(text):
        return text  # a file name already written as a slug (most are)
    plain = _APOSTROPHES.sub("", strip_marks(unicodedata.normalize("NFC", text))).lower()
    slug = _NON_ALNUM.sub(separator, plain).strip(separator)
    if len(slug) > SLUG_MAX:
        slug = slug[:SLUG_MAX + 1].rsplit(separator, 1)[0] or slug[:SLUG_MAX]
    return slug


def tag_key(name: str) -> str:
    """What makes two tag spellings the same tag: letters and tones, not case ("Tết" = "tết")."""
    return unicodedata.normalize("NFC", name).casefold()


def citation_key(text: str) -> str:
    """How document citations are matched: "417 / kh-ubnd" cites 417/KH-UBND."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text)).casefold()


# Folding is defined twice, here and in templates/static/js/fold.js, and the two must agree: a test runs
# one table of cases through both. Keep every step expressible the same way in JavaScript.
FOLD_DROPPED = "'’‘ʼ`-\u2010\u2011"  # apostrophes and hyphens inside names: "H'Lan" → "hlan"
FOLD_SPACES = " \t\n\r\f\v\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" \
              "\u2028\u2029\u202f\u205f\u3000\ufeff"
_FOLD_TABLE = str.maketrans({**{c: None for c in FOLD_DROPPED}, **{c: " " for c in FOLD_SPACES}})


def fold(text: str) -> str:
    """Fold for search: no tones or marks, đ → d, lower-case, no apostrophes or hyphens ("H'Lan" → "hlan")."""
    lowered = unicodedata.normalize("NFC", text).translate(_D_STROKE).lower()
    return strip_marks(lowered).translate(_FOLD_TABLE)


# --- collation -----------------------------------------------------------------

_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_LETTER_RANK = {letter: rank for rank, letter in enumerate(_ALPHABET)}
# Letters outside the Vietnamese alphabet (f, j, w, z) sort right after their neighbours.
_LETTER_RANK.update({"f": _LETTER_RANK["e"] + 0.5, "j": _LETTER_RANK["i"] + 0.5,
                     "w": _LETTER_RANK["v"] + 0.5, "z": _LETTER_RANK["y"] + 0.5})
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn build letters
# Tones, a secondary difference: none < huyền < hỏi < ngã < sắc < nặng.
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def _letter_and_tone(char: str) -> tuple[float, int]:
    """Primary rank of one lower-case character and its tone rank."""
    decomposed = unicodedata.normalize("NFD", char)
    base = "".join(c for c in decomposed if c not in _TONE_RANK)
    tone = next((_TONE_RANK[c] for c in decomposed if c in _TONE_RANK), 0)
    letter = unicodedata.normalize("NFC", base)
    if letter in _LETTER_RANK:
        return 1000 + _LETTER_RANK[letter], tone
    if letter.isdigit():
        return 100 + int(letter) if letter.isascii() else 200, tone
    if letter.isspace():
        return 0, tone
    return 2000 + ord(letter[0]), tone


def collation_key(text: str) -> tuple[tuple[float, ...], tuple[int, ...], str]:
    """Sort key for Vietnamese: letters by the Vietnamese alphabet, then tones, then case."""
    lowered = unicodedata.normalize("NFC", text).lower().strip()
    ranks = [_letter_and_tone(ch) for ch in lowered]
    return tuple(r for r, _ in ranks), tuple(t for _, t in ranks), text


def profile_sort_key(name: str, is_person: bool) -> tuple:
    """People by given name (the last word), then the rest; collectives by their whole name.

    Lê Thị An < Trần Đức Anh < Phạm Thị Ánh < Nguyễn Văn Bình. Names that do not follow
    family–middle–given order (Ê Đê, M'Nông) are given a `sort_name` written given-name-last.
    """
    words = name.split()
    if is_person and len(words) > 1:
        return collation_key(words[-1]), collation_key(" ".join(words[:-1]))
    return collation_key(name), collation_key("")


# --- legacy encodings ------------------------------------------------------------

_MODERN_VIETNAMESE = re.compile("[\u1ea0-\u1ef9\u0103\u0102\u0111\u0110\u01a1\u01a0\u01b0\u01af]")
_TCVN3_SIGNS = re.compile("[§¾«\u00ad¸µ¶·¹¨©ª®¦®¬ÌÝ×Þò]")
_VNI_SIGNS = re.compile("(?=[aeiouyAEIOUY][øïõûù]|[ñÑ][a-zA-Z]|[oO]â|[aA]é|ö)")


def detect_legacy_encoding(text: str) -> str | None:
    """Name the legacy Vietnamese encoding ("TCVN3" or "VNI") a text looks typed in, if any."""
    if _MODERN_VIETNAMESE.search(text):
        return None
    tcvn3 = len(_TCVN3_SIGNS.findall(text))
    vni = len(_VNI_SIGNS.findall(text))
    if max(tcvn3, vni) < 3:
        return None
    return "TCVN3" if tcvn3 >= vni else "VNI"


# --- dates -------------------------------------------------------------------------


def _pad(value: int, below: int) -> str:
    """Zero-pad a day or month the way Nghị định 30/2020 asks."""
    return f"{value:02d}" if value < below else str(value)


def format_date_long(moment: date, place: str = "") -> str:
    """Official long form: "ngày 02 tháng 6 năm 2022", optionally "Đắk Nông, ngày …"."""
    text = f"ngày {_pad(moment.day, 10)} tháng {_pad(moment.month, 3)} năm {moment.year}"
    return f"{place}, {text}" if place else text


def format_date_short(moment: date) -> str:
    """Short form for running text: 18/7/2022."""
    return f"{moment.day}/{moment.month}/{moment.year}"


def format_iso(moment: datetime) -> str:
    """ISO 8601 in Viet Nam time with its offset: 2022-07-18T08:30:00+07:00."""
    return moment.astimezone(VIETNAM_TZ).isoformat(timespec="seconds")


# --- numbers -----------------------------------------------------------------------


def format_number(value: float, decimals: int = 0) -> str:
    """Vietnamese number: thousands with ".", decimals with ",": 1.234.567 and 1,5."""
    negative = value < 0
    rounded = f"{abs(value):,.{decimals}f}"
    whole, _, fraction = rounded.partition(".")
    text = whole.replace(",", ".") + ("," + fraction if fraction else "")
    return ("-" if negative else "") + text


def format_file_size(size: int) -> str:
    """A file size for a download link: "850 KB", "1,2 MB"."""
    if size < 1024 * 1024:
        return f"{format_number(max(size / 1024, 1), 0)}\u00a0KB"
    return f"{format_number(size / 1024 / 1024, 1)}\u00a0MB"


def format_money(amount: int) -> str:
    """Money in đồng with a non-breaking space: "15.000.000\u00a0đồng"."""
    return f"{format_number(amount)}\u00a0đồng"


# --- parsing dates staff write ---------------------------------------------------------

_ISO_DATE = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*(Z|[+-]\d{2}:?\d{2})?$")
_VN_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+(\d{1,2})[:h](\d{2}))?$")


def parse_local_datetime(value: object) -> datetime | None:
    """A date or time as staff write it, as Viet Nam time (a given offset is converted)."""
    if isinstance(value, datetime):
        try:
            return value.replace(tzinfo=VIETNAM_TZ) if value.tzinfo is None else value.astimezone(VIETNAM_TZ)
        except (ValueError, OverflowError):
            return None
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=VIETNAM_TZ)
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        if match := _ISO_DATE.match(text):
            year, month, day, hour, minute, second, offset = match.groups()
            tz = VIETNAM_TZ if offset is None else _offset(offset)
            return datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                            int(second or 0), tzinfo=tz).astimezone(VIETNAM_TZ)
        if match := _VN_DATE.match(text):
            day, month, year, hour, minute = match.groups()
            return datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                            tzinfo=VIETNAM_TZ)
    except (ValueError, OverflowError):  # 2024-02-30; year 1 moved into another time zone
        return None
    return None


def _offset(text: str) -> timezone:
    if text == "Z":
        return UTC
    sign = -1 if text.startswith("-") else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
