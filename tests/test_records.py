"""Result records: validation with lines, derived figures and target status, charts, CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest

from sitegen.charts import result_charts
from sitegen.errors import BuildFailed, Diagnostics
from sitegen.fields import FieldReader
from sitegen.records import data_files, derive, target_status
from sitegen.records_config import read_records
from sitegen.records_model import PovertyYear, Records, Target
from sitegen.yamlsource import load_yaml
from tests.sitebuilder import CONFIG, build_at, html_at, make_site, post

SVG = "{http://www.w3.org/2000/svg}"

RECORDS = """\
records:
  sample: true
  start_year: 2021
  end_year: 2025
  targets:
    - id: giam
      title: "Tỷ lệ hộ nghèo giảm bình quân mỗi năm"
      measure: poverty_rate_drop_per_year
      comparison: at_least
      value: 3
      unit: "điểm phần trăm"
    - id: cuoi-ky
      title: "Tỷ lệ hộ nghèo đến năm 2025"
      measure: poverty_rate
      comparison: below
      value: 1.5
      unit: "%"
  poverty:
    - {year: 2021, households: 1000, poor: 130, near_poor: 50, minority_households: 400, minority_poor: 100}
    - {year: 2022, households: 1000, poor: 100, near_poor: 50, minority_households: 400, minority_poor: 80}
    - {year: 2023, households: 1000, poor: 70, near_poor: 40, minority_households: 400, minority_poor: 60}
  campaigns:
    - {id: vi-nguoi-ngheo, title: "Quỹ “Vì người nghèo”"}
    - {id: den-on, title: "Quỹ “Đền ơn đáp nghĩa”"}
  contributions:
    - {year: 2022, campaign: vi-nguoi-ngheo, amount: 15000000, people: 40}
    - {year: 2022, campaign: den-on, amount: 5000000}
    - {year: 2023, campaign: vi-nguoi-ngheo, amount: 1500000, in_kind: "Gạo, mì"}
  visits:
    - {date: 2023-01-12, occasion: "Tết Quý Mão", place: "Bon Jun Júh", gifts: 50, value: 25000000}
  new_rural_development:
    commune: "xã Đức Minh"
    criteria: ["Quy hoạch", "Giao thông", "Thủy lợi", "Điện"]
    years:
      - {year: 2022, met: [1, 2]}
      - {year: 2023, met: [1, 2, 4]}
  commendations:
    - {year: 2023, form: "Giấy khen", recipient: "Chi đoàn Thanh tra tỉnh", recipient_kind: "tập thể"}
  reviews:
    - {id: so-ket-2023, kind: "sơ kết", title: "Sơ kết giữa kỳ", year: 2023, tag: "Sơ kết",
       recipients: ["Ban Thi đua – Khen thưởng tỉnh"]}
"""


def _records(text: str = RECORDS) -> tuple[Records, Diagnostics]:
    diagnostics = Diagnostics()
    data = load_yaml(text, "site_data.yaml")
    records = read_records(FieldReader(data, "site_data.yaml", diagnostics).child("records"))
    return records, diagnostics


def _poverty(*rows: tuple[int, int, int]) -> tuple[PovertyYear, ...]:
    return tuple(PovertyYear(year, households, poor, 0, None, None, "", "", None, 1)
                 for year, households, poor in rows)


DROP = Target("giam", "Giảm", "poverty_rate_drop_per_year", "at_least", 3.0, "điểm phần trăm", None)
FINAL = Target("cuoi", "Cuối kỳ", "poverty_rate", "below", 1.5, "%", 2025)


def test_rates_and_changes_are_derived_from_counts() -> None:
    records, diagnostics = _records()
    assert not diagnostics.errors
    results = derive(records)
    assert [round(f.rate, 2) for f in results.poverty] == [13.0, 10.0, 7.0]
    assert [None if f.change is None else round(f.change, 2) for f in results.poverty] == [None, -3.0, -3.0]
    assert [round(f.minority_rate, 2) for f in results.poverty] == [25.0, 20.0, 15.0]
    assert results.contributions.total == 21_500_000
    assert results.contributions.year_totals == (20_000_000, 1_500_000)
    assert [c.by_year for c in results.contributions.campaigns] == [(15_000_000, 1_500_000), (5_000_000, 0)]
    assert results.key.poverty_rate == pytest.approx(7.0) and results.key.criteria_met == 3


def test_target_reached_once_the_judged_year_is_reported() -> None:
    figures = derive(Records(False, 2021, 2025, "", poverty=_poverty(
        (2021, 1000, 130), (2025, 1000, 10)))).poverty
    status = target_status(DROP, figures, 2025)
    assert (status.status, round(status.achieved, 2), status.label) == ("dat", 3.0, "Đạt")
    assert target_status(FINAL, figures, 2025).status == "dat"


def test_target_not_reached() -> None:
    figures = derive(Records(False, 2021, 2025, "", poverty=_poverty(
        (2021, 1000, 130), (2025, 1000, 20)))).poverty
    assert target_status(DROP, figures, 2025).status == "chua-dat"  # 2,75 points a year
    assert target_status(FINAL, figures, 2025).status == "chua-dat"  # 2% is not below 1,5%


def test_last_year_not_yet_reported_is_in_progress() -> None:
    figures = derive(Records(False, 2021, 2025, "", poverty=_poverty(
        (2021, 1000, 130), (2022, 1000, 90), (2023, 1000, 60)))).poverty
    status = target_status(DROP, figures, 2025)
    assert status.status == "dang-thuc-hien" and status.latest_year == 2023
    assert status.achieved == pytest.approx(3.5)


def test_a_missing_year_keeps_the_average_and_blanks_that_change() -> None:
    text = RECORDS.replace("    - {year: 2022, households: 1000, poor: 100, near_poor: 50, "
                           "minority_households: 400, minority_poor: 80}\n", "")
    records, diagnostics = _records(text)
    results = derive(records)
    assert [f.year for f in results.poverty] == [2021, 2023]
    assert results.poverty[1].change is None
    assert results.targets[0].achieved == pytest.approx(3.0)
    assert any("thiếu số liệu hộ nghèo năm 2022" in w.message for w in diagnostics.warnings)


def test_no_poverty_data_says_so() -> None:
    status = target_status(DROP, (), 2025)
    assert (status.status, status.achieved_text) == ("chua-co-so-lieu", "—")


def test_stated_rate_that_disagrees_with_counts_is_a_warning() -> None:
    text = RECORDS.replace("poor: 130, near_poor: 50,", "poor: 130, near_poor: 50, stated_rate: 15.2,")
    _, diagnostics = _records(text)
    warning = next(w for w in diagnostics.warnings if "15.2" in w.message)
    assert warning.line == 19 and "13.00%" in warning.message


@pytest.mark.parametrize(("old", "new", "line", "words"), [
    ("poor: 130, near_poor", "poor: 1300, near_poor", 19, "'poor' (1300) lớn hơn 'households' (1000)"),
    ("poor: 130, near_poor: 50,", "poor: 130, near_poor: 50, stated_rate: 130,", 19, "khoảng 0–100"),
    ("{year: 2021, households", "{year: 2019, households", 19, "năm 2019 nằm ngoài giai đoạn"),
    ("campaign: den-on, amount", "campaign: bep-an, amount", 27, "cuộc vận động 'bep-an' chưa khai báo"),
    ("met: [1, 2, 4]", "met: [1, 2, 20]", 36, "tiêu chí số 20 không có"),
    ("amount: 1500000, in_kind", "amount: 1.500, in_kind", 28, "phải là số nguyên đồng"),
    ("amount: 5000000}", "amount: 5.000.000}", 27, "phải là số nguyên đồng"),
    ("households: 1000, poor: 70", "households: 1.000, poor: 70", 21, "không có dấu chấm"),
    ("{date: 2023-01-12,", "{date: 2020-01-12,", 30, "nằm ngoài giai đoạn"),
    ("recipient_kind: \"tập thể\"", "recipient_kind: \"đơn vị\"", 38, "'tập thể' hoặc 'cá nhân'"),
    ("measure: poverty_rate\n", "measure: ty_le\n", 14, "chỉ tiêu đo 'ty_le' không có"),
])
def test_record_mistakes_name_their_line(old: str, new: str, line: int, words: str) -> None:
    assert old in RECORDS
    _, diagnostics = _records(RECORDS.replace(old, new, 1))
    assert any(e.line == line and words in e.message for e in diagnostics.errors), diagnostics.errors


def test_every_record_error_is_reported_at_once(tmp_path: Path) -> None:
    text = RECORDS.replace("amount: 5000000}", "amount: 5.000}").replace("met: [1, 2, 4]", "met: [9]")
    root = make_site(tmp_path, {"content/tin-hoat-dong/x.md": post("Tin")},
                     config=CONFIG.format(per_page=10) + text)
    with pytest.raises(BuildFailed) as failure:
        build_at(root)
    assert sorted(e.line for e in failure.value.errors) == [27 + 16, 36 + 16]  # CONFIG has 16 lines before records:
    assert all(e.path == "site_data.yaml" for e in failure.value.errors)


def test_csv_files_round_trip_through_the_csv_module() -> None:
    records, _ = _records()
    files = data_files(derive(records))
    raw = files["ket-qua/du-lieu/dong-gop.csv"]
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [(r["Năm"], r["Cuộc vận động"], int(r["Số tiền (đồng)"])) for r in rows] == [
        ("2022", "Quỹ “Đền ơn đáp nghĩa”", 5_000_000), ("2022", "Quỹ “Vì người nghèo”", 15_000_000),
        ("2023", "Quỹ “Vì người nghèo”", 1_500_000)]
    assert rows[2]["Hiện vật"] == "Gạo, mì"
    poverty = list(csv.DictReader(io.StringIO(files["ket-qua/du-lieu/ho-ngheo.csv"].decode("utf-8-sig"))))
    assert [float(r["Tỷ lệ hộ nghèo (%)"]) for r in poverty] == [13.0, 10.0, 7.0]
    rural = list(csv.reader(io.StringIO(files["ket-qua/du-lieu/nong-thon-moi.csv"].decode("utf-8-sig"))))
    assert rural[0][1] == "1. Quy hoạch" and rural[2] == ["2023", "đạt", "đạt", "", "đạt", "3"]


def test_json_holds_every_record() -> None:
    records, _ = _records()
    data = json.loads(data_files(derive(records))["ket-qua/du-lieu/ket-qua.json"])
    assert data["so_lieu_minh_hoa"] is True
    assert [row["nam"] for row in data["ho_ngheo"]] == [2021, 2022, 2023]
    assert data["nong_thon_moi"]["theo_nam"][1]["tieu_chi_dat"] == [1, 2, 4]
    assert data["muc_tieu"][0]["trang_thai"] == "dang-thuc-hien"


def _plot(chart_html: str) -> ET.Element:
    """The plot SVG of a chart (it stands beside a narrow SVG of y-axis labels)."""
    chart = ET.fromstring(chart_html)
    axis, plot = chart.findall(f"{SVG}svg")
    assert axis.get("aria-hidden") == "true" and not axis.get("viewBox") and not plot.get("viewBox")
    return plot


def test_charts_are_valid_svg_with_one_mark_per_figure() -> None:
    records, _ = _records()
    charts = result_charts(derive(records))
    line = _plot(charts.poverty.svg)
    assert line.get("role") == "img" and line.find(f"{SVG}title").text.startswith("Tỷ lệ hộ nghèo")
    lines = line.findall(f"{SVG}g[@class='chart__line']")
    assert len(lines) == 3  # poverty rate, ethnic-minority rate, target path
    assert len(line.findall(f"{SVG}circle")) == 3 + 3 + 5  # target path spans 2021–2025
    bars = _plot(charts.contributions.svg)
    assert len(bars.findall(f"{SVG}rect")) == 3  # 2022: two campaigns, 2023: one
    rural = _plot(charts.rural.svg)
    assert [r.find(f"{SVG}title").text for r in rural.findall(f"{SVG}rect")] == [
        "Số tiêu chí đạt, 2022: 2", "Số tiêu chí đạt, 2023: 3"]


def test_results_page_home_figures_and_report(tmp_path: Path) -> None:
    root = make_site(tmp_path, {
        "content/tin-hoat-dong/so-ket.md": post("Hội nghị sơ kết", "2023-12-08 08:00", tags="[Sơ kết]"),
        "content/tin-hoat-dong/khac.md": post("Tin khác", "2023-12-09 08:00")},
        config=CONFIG.format(per_page=10) + RECORDS)
    build_at(root)
    page = html_at(root, "ket-qua/")
    assert page.select_one(".sample-banner").get_text().startswith("Số liệu minh họa")
    statuses = [s.get_text() for s in page.select(".target-card .status")]
    assert statuses == ["Đang thực hiện", "Đang thực hiện"]
    poverty = page.find("caption", string="Hộ nghèo qua các năm").find_parent("table")
    assert [td.get_text() for td in poverty.select("tbody tr")[1].find_all("td")][:4] == [
        "1.000", "100", "10,00%", "giảm 3,00 điểm phần trăm"]
    assert len(page.select("figure.chart-figure svg.chart__plot")) == 3
    downloads = [a["href"] for a in page.select(".downloads a")]
    assert len(downloads) == 7
    for href in downloads:
        assert (root / "output/ket-qua" / href).is_file()
    home = html_at(root, "")
    figures = [li.select_one(".key-figures__value").get_text() for li in home.select(".key-figures li")]
    assert figures == ["7,00%", "21.500.000\u00a0đồng", "3/4"]
    report = html_at(root, "bao-cao/so-ket-2023/")
    assert [a.get_text() for a in report.select(".report__posts a")] == ["Hội nghị sơ kết"]
    assert "Ban Thi đua – Khen thưởng tỉnh;" in report.select_one(".report__recipients").get_text()


def test_report_shows_figures_known_at_its_year(tmp_path: Path) -> None:
    text = RECORDS.replace("year: 2023, tag", "year: 2022, tag")
    root = make_site(tmp_path, {"content/tin-hoat-dong/x.md": post("Tin")},
                     config=CONFIG.format(per_page=10) + text)
    build_at(root)
    report = html_at(root, "bao-cao/so-ket-2023/")
    poverty = report.find("caption", string="Hộ nghèo qua các năm").find_parent("table")
    assert [th.get_text() for th in poverty.select("tbody th")] == ["2021", "2022"]
    rural = report.find("caption", string="Tiêu chí nông thôn mới xã Đức Minh đạt theo năm").find_parent("table")
    assert [th.get_text() for th in rural.select("thead th")] == ["Tiêu chí", "2022"]


def test_any_template_can_reach_records(tmp_path: Path) -> None:
    root = make_site(tmp_path, {"content/trang/gioi-thieu.md": post("Giới thiệu")},
                     config=CONFIG.format(per_page=10) + RECORDS)
    template = root / "templates/page.html"
    head, tail = template.read_text(encoding="utf-8").rsplit("{% endblock %}", 1)
    addition = '<p id="tong">{{ results.contributions.total | money }} – {{ results.records.visits[0].place }}</p>\n'
    template.write_text(head + addition + "{% endblock %}" + tail, encoding="utf-8")
    build_at(root)
    assert html_at(root, "gioi-thieu/").select_one("#tong").get_text() == "21.500.000\u00a0đồng – Bon Jun Júh"


def test_site_without_records_has_no_results_page(tmp_path: Path) -> None:
    root = make_site(tmp_path, {"content/tin-hoat-dong/x.md": post("Tin")})
    build_at(root)
    assert not (root / "output/ket-qua").exists()
    assert not html_at(root, "").select(".key-figures")


def test_visit_dates_are_dates() -> None:
    records, _ = _records()
    assert records.visits[0].date == date(2023, 1, 12)


@pytest.mark.parametrize(("last_poor", "status"), [
    (40, "dat"),  # 16,4% → 4,4% over four years: 3,00 points a year, as shown
    (45, "chua-dat"),
])
def test_target_is_judged_on_the_figure_shown(last_poor: int, status: str) -> None:
    figures = derive(Records(False, 2021, 2025, "", poverty=_poverty(
        (2021, 1000, 164), (2025, 1000, last_poor)))).poverty
    assert target_status(DROP, figures, 2025).status == status


def test_rate_that_rounds_to_the_limit_does_not_pass_below() -> None:
    figures = derive(Records(False, 2021, 2025, "", poverty=_poverty((2025, 188400, 2825)))).poverty
    status = target_status(FINAL, figures, 2025)
    assert status.achieved_text == "1,50%" and status.status == "chua-dat"


def test_missing_year_breaks_the_chart_line() -> None:
    records = Records(False, 2021, 2025, "", poverty=_poverty((2021, 100, 10), (2024, 100, 6), (2025, 100, 5)))
    svg = _plot(result_charts(derive(records)).poverty.svg)
    assert len(svg.findall(f"{SVG}g[@class='chart__line']")) == 1  # 2021 stands alone; 2024–2025 are joined
    assert len(svg.findall(f"{SVG}circle")) == 3


def test_csv_text_cannot_run_as_a_formula() -> None:
    text = RECORDS.replace('recipient: "Chi đoàn Thanh tra tỉnh"', 'recipient: "=HYPERLINK(1)"')
    records, _ = _records(text)
    rows = list(csv.reader(io.StringIO(data_files(derive(records))["ket-qua/du-lieu/khen-thuong.csv"]
                                       .decode("utf-8-sig"))))
    assert rows[1][5] == "'=HYPERLINK(1)"


def test_report_lists_only_posts_of_its_period(tmp_path: Path) -> None:
    root = make_site(tmp_path, {
        "content/tin-hoat-dong/a.md": post("Sơ kết năm 2023", "2023-12-08 08:00", tags="[Sơ kết]"),
        "content/tin-hoat-dong/b.md": post("Sơ kết chi bộ 2024", "2024-06-01 08:00", tags="[Sơ kết]")},
        config=CONFIG.format(per_page=10) + RECORDS)
    build_at(root)
    report = html_at(root, "bao-cao/so-ket-2023/")
    assert [a.get_text() for a in report.select(".report__posts a")] == ["Sơ kết năm 2023"]
    meta = report.find("meta", property="og:title")["content"]
    assert meta.startswith("Báo cáo")
    results = html_at(root, "ket-qua/").find("meta", property="og:title")["content"]
    assert results == "Kết quả thực hiện"
