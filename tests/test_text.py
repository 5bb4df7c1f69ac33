"""Vietnamese text rules: slugs, folding, collation, dates, numbers, legacy encodings."""

from __future__ import annotations

import random
import re
import unicodedata
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sitegen.text import (
    VIETNAM_TZ,
    collation_key,
    detect_legacy_encoding,
    fold,
    format_date_long,
    format_date_short,
    format_iso,
    format_money,
    format_number,
    normalize_text,
    parse_local_datetime,
    slugify,
)

VIETNAMESE_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
vietnamese_text = st.text(
    alphabet=st.sampled_from(VIETNAMESE_LETTERS + VIETNAMESE_LETTERS.upper() + " ,.-'’!?:;/()“”–0123456789"),
    max_size=60)


@pytest.mark.parametrize(("title", "slug"), [
    ("Thăm, tặng quà Bon Jun Júh dịp Tết", "tham-tang-qua-bon-jun-juh-dip-tet"),
    ("Đắk R'Lấp", "dak-rlap"),
    ("Đắk Nông", "dak-nong"),
    ("Quyết định 666/QĐ-TTg", "quyet-dinh-666-qd-ttg"),
    ("“Vì người nghèo – Không để ai bị bỏ lại phía sau”", "vi-nguoi-ngheo-khong-de-ai-bi-bo-lai-phia-sau"),
    ("ĐỨC MINH", "duc-minh"),
    ("!!! 🎉 ???", ""),
])
def test_slugify_examples(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_slugify_same_for_decomposed_and_composed_input() -> None:
    text = "Bếp ăn tình thương ở Đức Minh"
    assert slugify(unicodedata.normalize("NFD", text)) == slugify(text) == "bep-an-tinh-thuong-o-duc-minh"


@given(vietnamese_text)
def test_slugify_is_url_safe_and_stable(text: str) -> None:
    slug = slugify(text)
    assert re.fullmatch(r"([a-z0-9]+(-[a-z0-9]+)*)?", slug)
    assert slugify(slug) == slug


@given(vietnamese_text)
def test_slugify_keeps_every_letter_of_the_text(text: str) -> None:
    letters = [c for c in fold(text) if c.isalnum()]
    assert slugify(text).replace("-", "") == "".join(letters)


@pytest.mark.parametrize(("typed", "text"), [
    ("ngheo", "người nghèo"),
    ("dak nong", "Đắk Nông"),
    ("doi", "đói"),
    ("hoa", "hoà"),
    ("hoa", "hòa"),
    ("bon jun juh", "Bon Jun Júh"),
])
def test_fold_lets_toneless_typing_match(typed: str, text: str) -> None:
    assert fold(typed) in fold(text)


def test_fold_makes_old_and_new_tone_placement_equal() -> None:
    assert fold("hoà") == fold("hòa")
    assert fold("thuý") == fold("thúy")


@given(vietnamese_text)
def test_fold_output_is_ascii_lowercase_and_idempotent(text: str) -> None:
    folded = fold(text)
    assert all(ord(c) < 128 or not c.isalpha() for c in folded)
    assert folded == folded.lower()
    assert fold(folded) == folded


def test_collation_follows_vietnamese_alphabet_and_tones() -> None:
    expected = ["an", "ăn", "ấn", "ban", "bàn", "bản", "bãn", "bán", "bạn", "bang"]
    shuffled = expected[:]
    random.Random(7).shuffle(shuffled)
    assert sorted(shuffled, key=collation_key) == expected


def test_collation_puts_d_stroke_after_d() -> None:
    words = ["Đức", "Dũng", "Em", "Cường"]
    assert sorted(words, key=collation_key) == ["Cường", "Dũng", "Đức", "Em"]


@pytest.mark.parametrize(("moment", "text"), [
    (date(2022, 7, 18), "ngày 18 tháng 7 năm 2022"),
    (date(2022, 6, 2), "ngày 02 tháng 6 năm 2022"),
    (date(2024, 1, 5), "ngày 05 tháng 01 năm 2024"),
    (date(2024, 2, 29), "ngày 29 tháng 02 năm 2024"),
    (date(2025, 12, 10), "ngày 10 tháng 12 năm 2025"),
])
def test_long_date_pads_as_the_decree_requires(moment: date, text: str) -> None:
    assert format_date_long(moment) == text


def test_long_date_with_place_and_short_date() -> None:
    assert format_date_long(date(2022, 7, 18), "Đắk Nông") == "Đắk Nông, ngày 18 tháng 7 năm 2022"
    assert format_date_short(date(2022, 7, 18)) == "18/7/2022"


def test_iso_dates_are_in_vietnam_time() -> None:
    utc = datetime(2024, 1, 30, 2, 0, tzinfo=UTC)
    assert format_iso(utc) == "2024-01-30T09:00:00+07:00"


@pytest.mark.parametrize(("value", "decimals", "text"), [
    (1234567, 0, "1.234.567"),
    (1.5, 1, "1,5"),
    (7.97, 2, "7,97"),
    (0, 0, "0"),
    (-2.1, 1, "-2,1"),
    (999, 0, "999"),
])
def test_numbers_use_vietnamese_separators(value: float, decimals: int, text: str) -> None:
    assert format_number(value, decimals) == text


def test_money_has_non_breaking_space_before_dong() -> None:
    assert format_money(15_000_000) == "15.000.000\u00a0đồng"


@pytest.mark.parametrize(("written", "expected"), [
    ("2024-01-30", datetime(2024, 1, 30, tzinfo=VIETNAM_TZ)),
    ("2024-01-30 09:05", datetime(2024, 1, 30, 9, 5, tzinfo=VIETNAM_TZ)),
    ("30/01/2024", datetime(2024, 1, 30, tzinfo=VIETNAM_TZ)),
    ("30/1/2024 14:30", datetime(2024, 1, 30, 14, 30, tzinfo=VIETNAM_TZ)),
    ("2024-01-30T09:00:00Z", datetime(2024, 1, 30, 16, 0, tzinfo=VIETNAM_TZ)),
    (date(2024, 1, 30), datetime(2024, 1, 30, tzinfo=VIETNAM_TZ)),
])
def test_dates_staff_write_are_read_in_vietnam_time(written: object, expected: datetime) -> None:
    assert parse_local_datetime(written) == expected


@pytest.mark.parametrize("written", ["30/02/2024", "2024-13-01", "hôm qua", 20240130, "2024-01-30 25:00"])
def test_impossible_dates_are_refused(written: object) -> None:
    assert parse_local_datetime(written) is None


def test_offset_given_is_converted_to_vietnam_time() -> None:
    moment = parse_local_datetime("2024-12-31T20:00:00Z")
    assert moment == datetime(2025, 1, 1, 3, 0, tzinfo=VIETNAM_TZ)
    assert moment.utcoffset() == timedelta(hours=7) and format_date_short(moment) == "1/1/2025"


def test_long_titles_give_bounded_slugs() -> None:
    slug = slugify("Thăm hỏi tặng quà " * 40)
    assert 0 < len(slug) <= 80 and not slug.endswith("-") and slug.startswith("tham-hoi-tang-qua")


def test_normalize_text_composes_and_unifies_line_ends() -> None:
    decomposed = unicodedata.normalize("NFD", "Nghệ")
    assert normalize_text(f"a\r\n{decomposed}\rb") == "a\nNghệ\nb"


@pytest.mark.parametrize(("text", "encoding"), [
    ("§¾k N«ng, ng\u00adêi nghÌo", "TCVN3"),
    ("Ngöôøi ngheøo Ñaék Noâng", "VNI"),
    ("Đắk Nông, người nghèo", None),
    ("Hello world © 2024", None),
    ("Hoà bình, thuý, toán", None),
])
def test_legacy_encodings_are_recognised_by_shape(text: str, encoding: str | None) -> None:
    assert detect_legacy_encoding(text) == encoding
