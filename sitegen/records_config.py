"""The `records:` part of site_data.yaml → validated Records, every mistake with its line."""

from __future__ import annotations

from datetime import date

from sitegen.fields import FieldReader
from sitegen.records_model import (
    COMPARISONS,
    MEASURES,
    RECIPIENT_KINDS,
    Campaign,
    Commendation,
    Contribution,
    PovertyYear,
    Records,
    Review,
    RuralProgram,
    RuralYear,
    Target,
    Visit,
)
from sitegen.text import slugify
from sitegen.yamlsource import YamlList, line_of

_KEYS = {"sample", "start_year", "end_year", "source_note", "targets", "poverty", "campaigns",
         "contributions", "visits", "new_rural_development", "commendations", "reviews"}
MAX_MONEY = 10**13  # ten thousand billion đồng: anything above is a typo
_NO_DATE = date(1, 1, 1)  # stands in for a missing date; the build has already failed then


def read_records(records: FieldReader | None) -> Records:
    """Validate the records; problems go to the reader's diagnostics."""
    if records is None:
        return Records(sample=False, start_year=2021, end_year=2025, source_note="")
    records.warn_unknown(_KEYS)
    start = records.integer("start_year", default=2021, minimum=1990, maximum=2100)
    end = records.integer("end_year", default=2025, minimum=1990, maximum=2100)
    if end < start:
        records.diagnostics.error(records.path, records.line("end_year"),
                                  "'records.end_year' phải sau hoặc bằng 'records.start_year'")
    period = _Period(start, end)
    campaigns = _campaigns(records)
    return Records(
        sample=records.flag("sample", default=False),
        start_year=start,
        end_year=end,
        source_note=records.text("source_note"),
        targets=_targets(records, period),
        poverty=_poverty(records, period),
        campaigns=campaigns,
        contributions=_contributions(records, period, campaigns),
        visits=_visits(records, period),
        rural=_rural(records, period),
        commendations=_commendations(records, period),
        reviews=_reviews(records, period),
    )


class _Period:
    """The movement's years, to check every year and date against."""

    def __init__(self, start: int, end: int) -> None:
        self.start, self.end = start, end

    def year(self, item: FieldReader, key: str = "year") -> int:
        """A required year inside the period (reported otherwise)."""
        if item.mapping.get(key) is None:
            item.diagnostics.error(item.path, item.line(key), f"thiếu mục bắt buộc '{item.where}.{key}'")
            return 0
        value = item.integer(key, default=0, minimum=0, maximum=9999)
        if value and not self.start <= value <= self.end:
            item.diagnostics.error(item.path, item.line(key),
                                   f"năm {value} nằm ngoài giai đoạn của phong trào "
                                   f"({self.start}–{self.end})")
        return value


def _items(records: FieldReader, key: str) -> list[FieldReader]:
    return [FieldReader(item, records.path, records.diagnostics, f"records.{key}[{index + 1}]")
            for index, item in records.mapping_list(key)]


def _targets(records: FieldReader, period: _Period) -> tuple[Target, ...]:
    targets = []
    for item in _items(records, "targets"):
        item.warn_unknown({"id", "title", "measure", "comparison", "value", "unit", "year"})
        measure = item.text("measure", required=True)
        if measure and measure not in MEASURES:
            item.diagnostics.error(item.path, item.line("measure"),
                                   f"chỉ tiêu đo '{measure}' không có; chọn một trong: {', '.join(MEASURES)}")
        comparison = item.text("comparison", default="at_least")
        if comparison not in COMPARISONS:
            item.diagnostics.error(item.path, item.line("comparison"),
                                   f"so sánh '{comparison}' không có; chọn một trong: {', '.join(COMPARISONS)}")
        unit = item.text("unit", default="%")
        maximum = 100.0 if unit in {"%", "điểm phần trăm"} else 1e12
        value = item.decimal("value", 0.0, maximum)
        if value is None and item.mapping.get("value") is None:
            item.diagnostics.error(item.path, item.line("value"), f"thiếu mục bắt buộc '{item.where}.value'")
        year = period.year(item) if item.mapping.get("year") is not None else None
        title = item.text("title", required=True)
        targets.append(Target(item.text("id") or slugify(title), title, measure, comparison,
                              value or 0.0, unit, year))
    return tuple(targets)


def _poverty(records: FieldReader, period: _Period) -> tuple[PovertyYear, ...]:
    years: dict[int, PovertyYear] = {}
    for item in _items(records, "poverty"):
        item.warn_unknown({"year", "households", "poor", "near_poor", "minority_households",
                           "minority_poor", "standard", "source", "stated_rate"})
        year = period.year(item)
        households = item.integer("households", default=0, minimum=1)
        if item.mapping.get("households") is None:
            item.diagnostics.error(item.path, item.line("households"),
                                   f"thiếu mục bắt buộc '{item.where}.households' (tổng số hộ)")
        poor = item.integer("poor", default=0)
        near_poor = item.integer("near_poor", default=0)
        minority_households = item.optional_integer("minority_households")
        minority_poor = item.optional_integer("minority_poor")
        _check_part(item, "poor", poor, "households", households)
        _check_part(item, "near_poor", poor + near_poor, "households", households, "poor + near_poor")
        if minority_households is not None:
            _check_part(item, "minority_households", minority_households, "households", households)
        if minority_poor is not None:
            if minority_households is None:
                item.diagnostics.error(item.path, item.line("minority_poor"),
                                       "có 'minority_poor' thì phải có 'minority_households'")
            else:
                _check_part(item, "minority_poor", minority_poor, "minority_households", minority_households)
            _check_part(item, "minority_poor", minority_poor, "poor", poor)
        stated = item.decimal("stated_rate", 0.0, 100.0)
        if year in years:
            item.diagnostics.error(item.path, item.line("year"), f"năm {year} đã có số liệu hộ nghèo "
                                                                 f"(dòng {years[year].line})")
        entry = PovertyYear(year, households, poor, near_poor, minority_households, minority_poor,
                            item.text("standard"), item.text("source"), stated, item.mapping.line)
        if stated is not None and households and abs(stated - 100 * poor / households) > 0.05:
            item.diagnostics.warn(item.path, item.line("stated_rate"),
                                  f"tỷ lệ ghi {stated:g}% khác tỷ lệ tính từ số hộ "
                                  f"({100 * poor / households:.2f}%); trang dùng tỷ lệ tính từ số hộ")
        years[year] = entry
    _warn_gaps(records, sorted(y for y in years if period.start <= y <= period.end))  # a wrong year: said above
    return tuple(sorted(years.values(), key=lambda p: p.year))


def _check_part(item: FieldReader, key: str, part: int, whole_key: str, whole: int, label: str = "") -> None:
    """A count cannot exceed the count it is part of (poor ≤ households, …)."""
    if whole and part > whole:
        item.diagnostics.error(item.path, item.line(key),
                               f"'{label or key}' ({part}) lớn hơn '{whole_key}' ({whole}): tỷ lệ sẽ "
                               f"vượt 100%")


def _warn_gaps(records: FieldReader, years: list[int]) -> None:
    missing = [y for y in range(years[0], years[-1]) if y not in years] if years else []
    if missing:
        records.diagnostics.warn(records.path, records.line("poverty"),
                                 f"thiếu số liệu hộ nghèo năm {', '.join(map(str, missing))}; mức giảm "
                                 f"của năm sau đó không tính được")


def _campaigns(records: FieldReader) -> tuple[Campaign, ...]:
    campaigns: list[Campaign] = []
    for item in _items(records, "campaigns"):
        item.warn_unknown({"id", "title"})
        campaign_id = item.text("id", required=True)
        if any(c.id == campaign_id for c in campaigns):
            item.diagnostics.error(item.path, item.line("id"), f"cuộc vận động '{campaign_id}' khai báo hai lần")
        campaigns.append(Campaign(campaign_id, item.text("title", required=True)))
    return tuple(campaigns)


def _contributions(records: FieldReader, period: _Period,
                   campaigns: tuple[Campaign, ...]) -> tuple[Contribution, ...]:
    known = {c.id for c in campaigns}
    entries = []
    for item in _items(records, "contributions"):
        item.warn_unknown({"year", "campaign", "amount", "people", "in_kind"})
        campaign = item.text("campaign", required=True)
        if campaign and campaign not in known:
            item.diagnostics.error(item.path, item.line("campaign"),
                                   f"cuộc vận động '{campaign}' chưa khai báo trong 'records.campaigns' "
                                   f"(có: {', '.join(sorted(known)) or 'chưa có'})")
        entries.append(Contribution(period.year(item), campaign, _money(item, "amount"),
                                    item.optional_integer("people"), item.text("in_kind")))
    return tuple(sorted(entries, key=lambda c: (c.year, c.campaign_id)))


def _money(item: FieldReader, key: str) -> int:
    """An amount in whole đồng; `1.500` (which YAML reads as 1,5) gets a clear hint."""
    value = item.mapping.get(key)
    if value is None:
        item.diagnostics.error(item.path, item.line(key), f"thiếu mục bắt buộc '{item.where}.{key}' (số tiền)")
        return 0
    return item.integer(key, default=0, minimum=0, maximum=MAX_MONEY, unit=" đồng",
                        example="15000000 cho 15.000.000 đồng")


def _visits(records: FieldReader, period: _Period) -> tuple[Visit, ...]:
    visits = []
    for item in _items(records, "visits"):
        item.warn_unknown({"date", "occasion", "place", "gifts", "value", "note"})
        day = item.day("date", required=True)
        if day and not period.start <= day.year <= period.end:
            item.diagnostics.error(item.path, item.line("date"),
                                   f"ngày {day:%d/%m/%Y} nằm ngoài giai đoạn của phong trào "
                                   f"({period.start}–{period.end})")
        visits.append(Visit(day or _NO_DATE, item.text("occasion", required=True), item.text("place", required=True),
                            item.integer("gifts", default=0), _money(item, "value"), item.text("note")))
    return tuple(sorted(visits, key=lambda v: v.date))


def _rural(records: FieldReader, period: _Period) -> RuralProgram | None:
    program = records.child("new_rural_development")
    if program is None:
        return None
    program.warn_unknown({"commune", "framework", "criteria", "years"})
    criteria = program.text_list("criteria")
    if not criteria:
        program.diagnostics.error(program.path, program.line("criteria"),
                                  "thiếu danh sách tiêu chí 'criteria' của bộ tiêu chí xã")
    years: list[RuralYear] = []
    for index, raw in program.mapping_list("years"):
        item = FieldReader(raw, program.path, program.diagnostics, f"{program.where}.years[{index + 1}]")
        item.warn_unknown({"year", "met"})
        year = period.year(item)
        met_list = raw.get("met")
        met: list[int] = []
        for position, number in enumerate(met_list if isinstance(met_list, YamlList) else []):
            line = line_of(met_list, position, item.line("met"))
            if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= len(criteria):
                item.diagnostics.error(item.path, line, f"tiêu chí số {number} không có: bộ tiêu chí có "
                                                        f"{len(criteria)} tiêu chí, đánh số 1–{len(criteria)}")
            elif number not in met:
                met.append(number)
        if not isinstance(met_list, YamlList):
            item.diagnostics.error(item.path, item.line("met"),
                                   "'met' phải là danh sách số thứ tự tiêu chí đạt, ví dụ [1, 2, 5]")
        years.append(RuralYear(year, tuple(sorted(met))))
    return RuralProgram(program.text("commune", required=True), program.text("framework"), criteria,
                        tuple(sorted(years, key=lambda y: y.year)))


def _commendations(records: FieldReader, period: _Period) -> tuple[Commendation, ...]:
    result = []
    for item in _items(records, "commendations"):
        item.warn_unknown({"year", "form", "issuer", "decision", "recipient", "recipient_kind", "reason",
                           "status"})
        kind = item.text("recipient_kind", default="tập thể")
        if kind not in RECIPIENT_KINDS:
            item.diagnostics.error(item.path, item.line("recipient_kind"),
                                   f"'recipient_kind' phải là 'tập thể' hoặc 'cá nhân', không phải '{kind}'")
        result.append(Commendation(period.year(item), item.text("form", required=True), item.text("issuer"),
                                   item.text("decision"), item.text("recipient", required=True), kind,
                                   item.text("reason"), item.text("status", default="đã khen thưởng")))
    return tuple(sorted(result, key=lambda c: c.year))


def _reviews(records: FieldReader, period: _Period) -> tuple[Review, ...]:
    reviews: list[Review] = []
    for item in _items(records, "reviews"):
        item.warn_unknown({"id", "kind", "title", "year", "status", "report_number", "report_date",
                           "recipients", "tag"})
        title = item.text("title", required=True)
        review_id = item.text("id") or slugify(title)
        if slugify(review_id) != review_id:
            item.diagnostics.error(item.path, item.line("id"),
                                   f"mã đợt '{review_id}' dùng làm địa chỉ trang báo cáo: viết thường, không dấu, "
                                   f"nối bằng '-' (ví dụ '{slugify(review_id) or 'so-ket-2023'}')")
            review_id = slugify(review_id) or "bao-cao"
        if any(r.id == review_id for r in reviews):
            item.diagnostics.error(item.path, item.line("id"), f"đợt '{review_id}' khai báo hai lần")
        reviews.append(Review(review_id, item.text("kind", default="sơ kết"), title, period.year(item),
                              item.text("status", default="chưa thực hiện"), item.text("report_number"),
                              item.day("report_date"), item.text_list("recipients"), item.text("tag")))
    return tuple(sorted(reviews, key=lambda r: r.year))

