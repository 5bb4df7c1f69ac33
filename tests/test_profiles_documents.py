"""Role models (gallery, sorting, profile pages) and the documents library."""

from __future__ import annotations

import random
from pathlib import Path
from urllib.parse import urljoin

import pytest

from sitegen.errors import BuildFailed
from sitegen.kinds import parse_document_number
from sitegen.text import profile_sort_key
from tests.sitebuilder import CONFIG, build_at, html_at, jpeg, make_site, post

KIND_CONFIG = CONFIG.format(per_page=10).replace(
    '    title: "Điển hình tiên tiến"\n', '    title: "Điển hình tiên tiến"\n    kind: profiles\n') + """\
  - id: van-ban
    title: "Văn bản"
    kind: documents
"""
PDF = b"%PDF-1.4\n" + b"0" * 2000 + b"\n%%EOF\n"


def profile(name: str, kind: str, year: int, **extra: object) -> str:
    return post(f"Câu chuyện về {name}", f"{year}-05-01 08:00", name=f'"{name}"', kind=f'"{kind}"', year=year,
                achievement='"Thành tích minh họa"', **extra)


def document(number: str, issued: str, doc_type: str = "Kế hoạch", **extra: object) -> str:
    lines = ["---", '"title": "Trích yếu văn bản"', f'doc_type: "{doc_type}"', f'number: "{number}"',
             f"issued: {issued}", 'issuer: "Ủy ban nhân dân tỉnh"', 'level: "Tỉnh"']
    lines += [f"{key}: {value}" for key, value in extra.items()]
    return "\n".join([*lines, "---", "", "Nội dung văn bản.", ""])


def test_people_sort_by_given_name_then_the_rest() -> None:
    names = ["Nguyễn Văn Bình", "Phạm Thị Ánh", "Lê Thị An", "Trần Đức Anh"]
    random.Random(3).shuffle(names)
    ordered = sorted(names, key=lambda n: profile_sort_key(n, is_person=True))
    assert ordered == ["Lê Thị An", "Trần Đức Anh", "Phạm Thị Ánh", "Nguyễn Văn Bình"]


def test_collectives_sort_by_whole_name() -> None:
    names = ["Công đoàn cơ sở", "Chi đoàn Thanh tra tỉnh", "Đoàn công tác", "Bon Jun Júh"]
    ordered = sorted(names, key=lambda n: profile_sort_key(n, is_person=False))
    assert ordered == ["Bon Jun Júh", "Chi đoàn Thanh tra tỉnh", "Công đoàn cơ sở", "Đoàn công tác"]


@pytest.mark.parametrize(("text", "number", "year", "notation"), [
    ("417/KH-UBND", "417", None, "KH-UBND"),
    ("666/QĐ-TTg", "666", None, "QĐ-TTg"),
    ("07/2021/NĐ-CP", "07", 2021, "NĐ-CP"),
    (" 318 / QĐ-TTg ", "318", None, "QĐ-TTg"),
    ("1234/UBND-KT", "1234", None, "UBND-KT"),
    ("24/2021/QH15", "24", 2021, "QH15"),
    ("12A/QĐ-UBND", "12A", None, "QĐ-UBND"),
    ("05/2022/TT-BLĐTBXH", "05", 2022, "TT-BLĐTBXH"),
])
def test_document_numbers_are_parsed_with_their_case(text: str, number: str, year: int | None,
                                                     notation: str) -> None:
    parsed = parse_document_number(text)
    assert parsed is not None and (parsed.number, parsed.year, parsed.notation) == (number, year, notation)
    assert str(parsed) == text.replace(" ", "")


def test_look_alike_d_is_read_as_d_stroke() -> None:
    parsed = parse_document_number("666/QÐ-TTg")  # Ð U+00D0, as text converted from TCVN3 carries
    assert parsed is not None and str(parsed) == "666/QĐ-TTg"


@pytest.mark.parametrize("text", ["KH-UBND 417", "417-KH-UBND", "417/kh-ubnd", "417/-KH", "số 417/KH-UBND", ""])
def test_malformed_document_numbers_are_refused(text: str) -> None:
    assert parse_document_number(text) is None


def test_gallery_sorts_filters_and_links_profiles(tmp_path: Path) -> None:
    config = KIND_CONFIG + """records:
  commendations:
    - {year: 2023, form: "Giấy khen", issuer: "Chánh Thanh tra tỉnh", recipient: "Chi đoàn Thanh tra tỉnh"}
"""
    root = make_site(tmp_path, {
        "content/dien-hinh/binh.md": profile("Nguyễn Văn Bình", "Cá nhân", 2023, image="anh.jpg", image_alt='"Ảnh"'),
        "content/dien-hinh/anh.jpg": jpeg(900, 600),
        "content/dien-hinh/an.md": profile("Lê Thị An", "Cá nhân", 2024),
        "content/dien-hinh/chi-doan.md": profile("Chi đoàn Thanh tra tỉnh", "Tập thể", 2023),
        "content/dien-hinh/sang-kien.md": profile("Ống tiết kiệm", "Sáng kiến", 2022),
        "content/tin-hoat-dong/tin.md": post("Tin", body="Gương [Chi đoàn](../dien-hinh/chi-doan.md) ra quân."),
    }, config=config)
    build_at(root)
    gallery = html_at(root, "dien-hinh/")
    names = [a.get_text() for a in gallery.select(".profile-card__name a")]
    assert names == ["Lê Thị An", "Nguyễn Văn Bình", "Chi đoàn Thanh tra tỉnh", "Ống tiết kiệm"]
    chips = {a.get_text(" ", strip=True): urljoin("https://s.test/dien-hinh/", a["href"])
             for a in gallery.select("nav.filters a.chip")}
    base = "https://s.test/dien-hinh/"
    assert chips == {"Tất cả": base, "Cá nhân (2)": base + "loai/ca-nhan/", "Tập thể (1)": base + "loai/tap-the/",
                     "Sáng kiến (1)": base + "loai/sang-kien/", "2024 (1)": base + "nam/2024/",
                     "2023 (2)": base + "nam/2023/", "2022 (1)": base + "nam/2022/"}
    people = html_at(root, "dien-hinh/loai/ca-nhan/")
    assert [a.get_text() for a in people.select(".profile-card__name a")] == ["Lê Thị An", "Nguyễn Văn Bình"]
    assert people.select_one('a.chip[aria-current="page"]').get_text(" ", strip=True) == "Cá nhân (2)"
    year = html_at(root, "dien-hinh/nam/2023/")
    assert len(year.select(".gallery__item")) == 2
    assert gallery.select_one(".profile-card picture img")["alt"] == "Ảnh"
    page = html_at(root, "dien-hinh/chi-doan/")
    assert page.h1.get_text() == "Chi đoàn Thanh tra tỉnh"
    awards = page.find(id="khen-thuong-title").find_parent("section").get_text()
    assert "Giấy khen của Chánh Thanh tra tỉnh năm 2023" in awards
    mentions = page.find(id="nhac-den-title").find_parent("section")
    assert [a.get_text() for a in mentions.select(".card__title a")] == ["Tin"]
    home = html_at(root, "")
    assert len(home.find(id="role-models-title").find_parent("section").select(".profile-card")) == 3


def test_profile_needs_a_known_kind(tmp_path: Path) -> None:
    root = make_site(tmp_path, {"content/dien-hinh/x.md": profile("Ai đó", "Anh hùng", 2023)}, config=KIND_CONFIG)
    with pytest.raises(BuildFailed) as failure:
        build_at(root)
    error = failure.value.errors[0]
    assert (error.path, error.line) == ("content/dien-hinh/x.md", 5) and "'kind' phải là một trong" in error.message


def test_documents_library_pages_and_citations(tmp_path: Path) -> None:
    root = make_site(tmp_path, {
        "content/van-ban/qd-666.md": document("666/QĐ-TTg", "2022-06-02", "Quyết định", file='"tep/qd-666.pdf"',
                                              signer='"Thủ tướng Chính phủ"', effective="2022-06-02"),
        "content/van-ban/tep/qd-666.pdf": PDF,
        "content/van-ban/kh-417.md": document("417/KH-UBND", "2022-07-18"),
        "content/tuyen-truyen/bai.md": post("Phổ biến Kế hoạch", documents='["417/kh-ubnd", "666/QĐ-TTg"]'),
    }, config=KIND_CONFIG)
    build_at(root)
    table = html_at(root, "van-ban/").select_one("table.doc-table")
    rows = table.select("tbody tr")
    assert [r.th.get_text() for r in rows] == ["417/KH-UBND", "666/QĐ-TTg"]
    assert rows[1]["data-year"] == "2022" and rows[1]["data-type"] == "Quyết định"
    download = rows[1].find("a", download=True)
    assert download.get_text(" ", strip=True).startswith("PDF") and "2\u00a0KB" in rows[1].get_text()
    assert (root / "output/media/van-ban/tep/qd-666.pdf").read_bytes() == PDF
    page = html_at(root, "van-ban/qd-666/")
    facts = {dt.get_text(): dt.find_next_sibling("dd").get_text(" ", strip=True) for dt in page.select("dl.facts dt")}
    assert facts["Số, ký hiệu"] == "666/QĐ-TTg" and facts["Ngày ban hành"] == "ngày 02 tháng 6 năm 2022"
    assert facts["Cơ quan ban hành"] == "Ủy ban nhân dân tỉnh" and facts["Người ký"] == "Thủ tướng Chính phủ"
    assert facts["Cấp ban hành"] == "Tỉnh"
    citing = page.find(id="bai-viet-lien-quan").find_parent("section")
    assert [a.get_text() for a in citing.select(".card__title a")] == ["Phổ biến Kế hoạch"]
    related = html_at(root, "tuyen-truyen/bai/").select(".related-documents a")
    assert [a.get_text() for a in related] == ["Kế hoạch số 417/KH-UBND", "Quyết định số 666/QĐ-TTg"]
    home = html_at(root, "")
    assert "Trích yếu văn bản" not in [a.get_text() for a in home.select(".card__title a")]


@pytest.mark.parametrize(("files", "path", "line", "words"), [
    ({"content/van-ban/x.md": document("417-KH-UBND", "2022-07-18")}, "content/van-ban/x.md", 4,
     "không đúng dạng"),
    ({"content/van-ban/x.md": document("417/KH-UBND", "2022-07-18", file='"khong-co.pdf"')},
     "content/van-ban/x.md", 8, "không tìm thấy tệp"),
    ({"content/van-ban/x.md": document("417/KH-UBND", "2022-07-18"),
      "content/tuyen-truyen/b.md": post("Bài", documents='["418/KH-UBND"]')},
     "content/tuyen-truyen/b.md", 4, "văn bản '418/KH-UBND'"),
])
def test_document_mistakes_name_file_and_line(tmp_path: Path, files: dict[str, str], path: str, line: int,
                                              words: str) -> None:
    root = make_site(tmp_path, files, config=KIND_CONFIG)
    with pytest.raises(BuildFailed) as failure:
        build_at(root)
    error = failure.value.errors[0]
    assert (error.path, error.line) == (path, line) and words in error.message


def test_two_documents_with_one_number_are_an_error(tmp_path: Path) -> None:
    root = make_site(tmp_path, {"content/van-ban/a.md": document("417/KH-UBND", "2022-07-18"),
                                "content/van-ban/b.md": document("417/KH-UBND", "2023-07-18")}, config=KIND_CONFIG)
    with pytest.raises(BuildFailed) as failure:
        build_at(root)
    error = failure.value.errors[0]
    assert error.path == "content/van-ban/b.md" and "trùng số, ký hiệu với content/van-ban/a.md" in error.message
