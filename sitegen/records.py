"""Derived figures from the result records: rates, changes, target status, totals, CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, replace

from sitegen.records_model import COMPARISONS, MEASURES, PovertyYear, Records, Target
from sitegen.text import format_number

DATA_DIR = "ket-qua/du-lieu"
SHOWN_DECIMALS = 2  # rates and changes are shown, judged and published with two decimals

STATUS_LABELS = {
    "dat": "Đạt",
    "chua-dat": "Chưa đạt",
    "dang-thuc-hien": "Đang thực hiện",
    "chua-co-so-lieu": "Chưa có số liệu",
}


@dataclass(frozen=True)
class PovertyFigures:
    """One year's poverty figures with the rates and changes derived from the counts."""

    year: int
    households: int
    poor: int
    near_poor: int
    rate: float
    near_poor_rate: float
    minority_rate: float | None
    change: float | None  # percentage points against the year before (negative = down)
    minority_change: float | None
    standard: str
    source: str


@dataclass(frozen=True)
class TargetStatus:
    """A target with the figure achieved and whether it is met."""

    target: Target
    achieved: float | None
    status: str  # a key of STATUS_LABELS
    judged_year: int
    latest_year: int | None

    @property
    def label(self) -> str:
        """Vietnamese status label."""
        return STATUS_LABELS[self.status]

    @property
    def target_text(self) -> str:
        """The target in words, the figure bound to its sign and unit: "≥\u00a03\u00a0điểm phần trăm"."""
        value = format_number(self.target.value, _decimals(self.target.value))
        return _with_unit(f"{COMPARISONS[self.target.comparison]}\u00a0{value}", self.target.unit)

    @property
    def achieved_text(self) -> str:
        """The achieved figure in words, or a dash."""
        if self.achieved is None:
            return "—"
        return _with_unit(format_number(self.achieved, 2), self.target.unit)


def _with_unit(figure: str, unit: str) -> str:
    """A figure and its unit that never break apart: "1,50%", "3,00\u00a0điểm phần trăm"."""
    if unit in ("%", ""):
        return figure + unit
    return f"{figure}\u00a0{unit}"


@dataclass(frozen=True)
class CampaignTotal:
    """Contributions to one campaign: per year and in all."""

    campaign_id: str
    title: str
    by_year: tuple[int, ...]  # aligned with ContributionTable.years
    total: int


@dataclass(frozen=True)
class ContributionTable:
    """Contributions per campaign and year, with totals."""

    years: tuple[int, ...]
    campaigns: tuple[CampaignTotal, ...]
    year_totals: tuple[int, ...]
    total: int
    people: int


@dataclass(frozen=True)
class RuralProgress:
    """Criteria the commune met in a year."""

    year: int
    met: tuple[int, ...]
    count: int
    total: int


@dataclass(frozen=True)
class KeyFigures:
    """The few numbers shown on the home page."""

    poverty_rate: float | None
    poverty_year: int | None
    contributed: int
    criteria_met: int | None
    criteria_total: int | None
    criteria_year: int | None


@dataclass(frozen=True)
class Results:
    """Records plus everything derived from them, for templates and downloads."""

    records: Records
    poverty: tuple[PovertyFigures, ...]
    targets: tuple[TargetStatus, ...]
    contributions: ContributionTable
    rural: tuple[RuralProgress, ...]
    visit_gifts: int
    visit_value: int
    key: KeyFigures
    downloads: tuple[tuple[str, str], ...]  # (title, site path)

    def until(self, year: int) -> Results:
        """The same results as known at the end of `year` (for a review's report)."""
        records = self.records
        rural = records.rural and replace(records.rural, years=tuple(y for y in records.rural.years if y.year <= year))
        limited = replace(
            records,
            poverty=tuple(p for p in records.poverty if p.year <= year),
            contributions=tuple(c for c in records.contributions if c.year <= year),
            visits=tuple(v for v in records.visits if v.date.year <= year),
            rural=rural,
            commendations=tuple(c for c in records.commendations if c.year <= year))
        return derive(limited, until_year=year)


def _decimals(value: float) -> int:
    return 0 if float(value).is_integer() else (1 if round(value, 1) == value else 2)


def _rate(part: int | None, whole: int | None) -> float | None:
    if part is None or not whole:
        return None
    return 100 * part / whole


def poverty_figures(years: tuple[PovertyYear, ...]) -> tuple[PovertyFigures, ...]:
    """Rates from counts, and changes against the previous year when it was reported."""
    figures: list[PovertyFigures] = []
    for entry in years:
        rate = _rate(entry.poor, entry.households) or 0.0
        minority = _rate(entry.minority_poor, entry.minority_households)
        before = figures[-1] if figures and figures[-1].year == entry.year - 1 else None
        figures.append(PovertyFigures(
            year=entry.year, households=entry.households, poor=entry.poor, near_poor=entry.near_poor,
            rate=rate, near_poor_rate=_rate(entry.near_poor, entry.households) or 0.0, minority_rate=minority,
            change=rate - before.rate if before else None,
            minority_change=(minority - before.minority_rate
                             if before and minority is not None and before.minority_rate is not None else None),
            standard=entry.standard, source=entry.source))
    return tuple(figures)


def _measure(measure: str, figures: tuple[PovertyFigures, ...], year: int) -> tuple[float | None, int | None]:
    """The measured value using the data known up to `year`, and the latest year it rests on."""
    known = [f for f in figures if f.year <= year]
    if measure in ("poverty_rate", "minority_poverty_rate"):
        pick = [f for f in known if (f.rate if measure == "poverty_rate" else f.minority_rate) is not None]
        if not pick:
            return None, None
        last = pick[-1]
        return (last.rate if measure == "poverty_rate" else last.minority_rate), last.year
    rates = [(f.year, f.rate if measure == "poverty_rate_drop_per_year" else f.minority_rate) for f in known]
    rates = [(y, r) for y, r in rates if r is not None]
    if len(rates) < 2:
        return None, rates[-1][0] if rates else None
    (first_year, first), (last_year, last) = rates[0], rates[-1]
    return (first - last) / (last_year - first_year), last_year


def _meets(target: Target, value: float) -> bool:
    limit = target.value
    return {"at_least": value >= limit, "at_most": value <= limit,
            "below": value < limit, "above": value > limit}[target.comparison]


def target_status(target: Target, figures: tuple[PovertyFigures, ...], end_year: int,
                  until_year: int | None = None) -> TargetStatus:
    """Đạt / chưa đạt once the judged year is reported; đang thực hiện before; no data → said so."""
    judged = target.year or end_year
    horizon = min(judged, until_year) if until_year else judged
    achieved, latest = _measure(target.measure, figures, horizon)
    if achieved is not None:
        achieved = round(achieved, SHOWN_DECIMALS)  # judge the figure readers see, not float noise
    if achieved is None:
        status = "chua-co-so-lieu"
    elif latest is not None and latest >= judged:
        status = "dat" if _meets(target, achieved) else "chua-dat"
    else:
        status = "dang-thuc-hien"
    return TargetStatus(target, achieved, status, judged, latest)


def contribution_table(records: Records) -> ContributionTable:
    """Amounts per campaign and year, with totals per year, per campaign and in all."""
    years = tuple(sorted({c.year for c in records.contributions}))
    campaigns = []
    for campaign in records.campaigns:
        by_year = tuple(sum(c.amount for c in records.contributions
                            if c.campaign_id == campaign.id and c.year == y) for y in years)
        campaigns.append(CampaignTotal(campaign.id, campaign.title, by_year, sum(by_year)))
    year_totals = tuple(sum(c.amount for c in records.contributions if c.year == y) for y in years)
    people = sum(c.people or 0 for c in records.contributions)
    return ContributionTable(years, tuple(campaigns), year_totals, sum(year_totals), people)


def rural_progress(records: Records) -> tuple[RuralProgress, ...]:
    """How many criteria the commune met each year."""
    if records.rural is None:
        return ()
    total = len(records.rural.criteria)
    return tuple(RuralProgress(y.year, y.met, len(y.met), total) for y in records.rural.years)


def derive(records: Records, until_year: int | None = None) -> Results:
    """Every derived figure of the records."""
    figures = poverty_figures(records.poverty)
    contributions = contribution_table(records)
    rural = rural_progress(records)
    latest = figures[-1] if figures else None
    key = KeyFigures(
        poverty_rate=latest.rate if latest else None, poverty_year=latest.year if latest else None,
        contributed=contributions.total,
        criteria_met=rural[-1].count if rural else None, criteria_total=rural[-1].total if rural else None,
        criteria_year=rural[-1].year if rural else None)
    return Results(
        records=records, poverty=figures,
        targets=tuple(target_status(t, figures, records.end_year, until_year) for t in records.targets),
        contributions=contributions, rural=rural,
        visit_gifts=sum(v.gifts for v in records.visits), visit_value=sum(v.value for v in records.visits),
        key=key, downloads=tuple((title, f"{DATA_DIR}/{name}") for name, title in _DOWNLOAD_TITLES.items()))


# --- open data ---------------------------------------------------------------------------

_DOWNLOAD_TITLES = {
    "muc-tieu.csv": "Mục tiêu và kết quả (CSV)",
    "ho-ngheo.csv": "Hộ nghèo theo năm (CSV)",
    "dong-gop.csv": "Đóng góp theo cuộc vận động (CSV)",
    "nong-thon-moi.csv": "Tiêu chí nông thôn mới theo năm (CSV)",
    "tham-hoi.csv": "Thăm hỏi, tặng quà (CSV)",
    "khen-thuong.csv": "Khen thưởng (CSV)",
    "ket-qua.json": "Toàn bộ số liệu (JSON)",
}


def _csv(header: list[str], rows: list[list[object]]) -> bytes:
    """CSV (RFC 4180, comma, dot decimals) in UTF-8 with a BOM so Excel shows Vietnamese."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([[_cell(v) for v in row] for row in rows])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def _cell(value: object) -> object:
    """A CSV cell: rates rounded as shown; text that Excel would run as a formula is made plain text."""
    if value is None:
        return ""
    if isinstance(value, float):
        return round(value, SHOWN_DECIMALS)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def data_files(results: Results) -> dict[str, bytes]:
    """Every downloadable table as CSV and the whole set as JSON, by site path."""
    records = results.records
    rural_criteria = records.rural.criteria if records.rural else ()
    files = {
        "muc-tieu.csv": _csv(
            ["Mục tiêu", "Chỉ tiêu đo", "So sánh", "Giá trị mục tiêu", "Đơn vị", "Năm đánh giá", "Đạt được",
             "Trạng thái"],
            [[s.target.title, MEASURES.get(s.target.measure, s.target.measure), COMPARISONS[s.target.comparison],
              s.target.value, s.target.unit, s.judged_year, s.achieved, s.label] for s in results.targets]),
        "ho-ngheo.csv": _csv(
            ["Năm", "Tổng số hộ", "Hộ nghèo", "Tỷ lệ hộ nghèo (%)", "Hộ cận nghèo", "Tỷ lệ hộ cận nghèo (%)",
             "Tỷ lệ hộ nghèo DTTS (%)", "Thay đổi so với năm trước (điểm %)", "Chuẩn nghèo", "Nguồn"],
            [[f.year, f.households, f.poor, f.rate, f.near_poor, f.near_poor_rate, f.minority_rate, f.change,
              f.standard, f.source] for f in results.poverty]),
        "dong-gop.csv": _csv(
            ["Năm", "Cuộc vận động", "Số tiền (đồng)", "Số người đóng góp", "Hiện vật"],
            [[c.year, _campaign_title(records, c.campaign_id), c.amount, c.people, c.in_kind]
             for c in records.contributions]),
        "nong-thon-moi.csv": _csv(
            ["Năm", *[f"{i}. {name}" for i, name in enumerate(rural_criteria, start=1)], "Số tiêu chí đạt"],
            [[p.year, *["đạt" if i in p.met else "" for i in range(1, len(rural_criteria) + 1)], p.count]
             for p in results.rural]),
        "tham-hoi.csv": _csv(
            ["Ngày", "Dịp", "Địa điểm", "Số suất quà", "Giá trị (đồng)", "Ghi chú"],
            [[v.date.isoformat(), v.occasion, v.place, v.gifts, v.value, v.note] for v in records.visits]),
        "khen-thuong.csv": _csv(
            ["Năm", "Hình thức", "Cấp khen", "Số quyết định", "Tập thể/cá nhân", "Người/đơn vị được khen",
             "Thành tích", "Trạng thái"],
            [[c.year, c.form, c.issuer, c.decision, c.recipient_kind, c.recipient, c.reason, c.status]
             for c in records.commendations]),
        "ket-qua.json": (json.dumps(_json(results), ensure_ascii=False, indent=2) + "\n").encode("utf-8"),
    }
    return {f"{DATA_DIR}/{name}": data for name, data in files.items()}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, SHOWN_DECIMALS)


def _campaign_title(records: Records, campaign_id: str) -> str:
    campaign = records.campaign(campaign_id)
    return campaign.title if campaign else campaign_id


def _json(results: Results) -> dict[str, object]:
    records = results.records
    return {
        "so_lieu_minh_hoa": records.sample,
        "giai_doan": {"tu_nam": records.start_year, "den_nam": records.end_year},
        "ghi_chu_nguon": records.source_note,
        "muc_tieu": [{"ma": s.target.id, "ten": s.target.title, "chi_tieu": s.target.measure,
                      "so_sanh": s.target.comparison, "gia_tri": s.target.value, "don_vi": s.target.unit,
                      "nam_danh_gia": s.judged_year, "dat_duoc": _round(s.achieved), "trang_thai": s.status}
                     for s in results.targets],
        "ho_ngheo": [{"nam": f.year, "tong_so_ho": f.households, "ho_ngheo": f.poor, "ty_le": _round(f.rate),
                      "ho_can_ngheo": f.near_poor, "ty_le_can_ngheo": _round(f.near_poor_rate),
                      "ho_dtts": p.minority_households, "ho_ngheo_dtts": p.minority_poor,
                      "ty_le_ngheo_dtts": _round(f.minority_rate), "thay_doi": _round(f.change),
                      "ty_le_ghi_trong_bao_cao": p.stated_rate, "chuan_ngheo": f.standard, "nguon": f.source}
                     for f, p in zip(results.poverty, records.poverty, strict=True)],
        "cuoc_van_dong": [{"ma": c.id, "ten": c.title} for c in records.campaigns],
        "dong_gop": [{"nam": c.year, "cuoc_van_dong": c.campaign_id, "so_tien": c.amount, "so_nguoi": c.people,
                      "hien_vat": c.in_kind} for c in records.contributions],
        "tham_hoi": [{"ngay": v.date.isoformat(), "dip": v.occasion, "dia_diem": v.place, "so_suat": v.gifts,
                      "gia_tri": v.value, "ghi_chu": v.note} for v in records.visits],
        "nong_thon_moi": None if records.rural is None else {
            "xa": records.rural.commune, "khung": records.rural.framework,
            "tieu_chi": list(records.rural.criteria),
            "theo_nam": [{"nam": p.year, "tieu_chi_dat": list(p.met), "so_tieu_chi_dat": p.count}
                         for p in results.rural]},
        "khen_thuong": [{"nam": c.year, "hinh_thuc": c.form, "cap_khen": c.issuer, "quyet_dinh": c.decision,
                         "loai": c.recipient_kind, "duoc_khen": c.recipient, "thanh_tich": c.reason,
                         "trang_thai": c.status} for c in records.commendations],
        "so_ket_tong_ket": [{"ma": r.id, "loai": r.kind, "ten": r.title, "nam": r.year, "trang_thai": r.status,
                             "so_bao_cao": r.report_number,
                             "ngay_bao_cao": r.report_date.isoformat() if r.report_date else None,
                             "noi_nhan": list(r.recipients)} for r in records.reviews],
    }
