"""Frozen dataclasses for the movement's result records kept in site_data.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# What a target measures; the generator computes each from the poverty records.
MEASURES = {
    "poverty_rate_drop_per_year": "mức giảm tỷ lệ hộ nghèo bình quân mỗi năm",
    "minority_poverty_rate_drop_per_year": "mức giảm tỷ lệ hộ nghèo đồng bào dân tộc thiểu số bình quân mỗi năm",
    "poverty_rate": "tỷ lệ hộ nghèo",
    "minority_poverty_rate": "tỷ lệ hộ nghèo đồng bào dân tộc thiểu số",
}
COMPARISONS = {"at_least": "≥", "at_most": "≤", "below": "<", "above": ">"}
RECIPIENT_KINDS = ("tập thể", "cá nhân")


@dataclass(frozen=True)
class Target:
    """A provincial target, e.g. the poor-household rate down ≥ 3 points a year."""

    id: str
    title: str
    measure: str
    comparison: str
    value: float
    unit: str
    year: int | None  # the year the target is judged on (default: the last year of the period)


@dataclass(frozen=True)
class PovertyYear:
    """Household counts of one year's poverty review (counts, never rates)."""

    year: int
    households: int
    poor: int
    near_poor: int
    minority_households: int | None
    minority_poor: int | None
    standard: str
    source: str
    stated_rate: float | None
    line: int


@dataclass(frozen=True)
class Campaign:
    """A fund or support campaign the agency's staff contribute to."""

    id: str
    title: str


@dataclass(frozen=True)
class Contribution:
    """Money (whole đồng) and people contributed to one campaign in one year."""

    year: int
    campaign_id: str
    amount: int
    people: int | None
    in_kind: str


@dataclass(frozen=True)
class Visit:
    """A visit with gifts (aggregates only: never lists of households)."""

    date: date
    occasion: str
    place: str
    gifts: int
    value: int
    note: str


@dataclass(frozen=True)
class RuralYear:
    """Which criteria (1-based numbers) the commune met in a year."""

    year: int
    met: tuple[int, ...]


@dataclass(frozen=True)
class RuralProgram:
    """The sponsored commune's new-rural-development criteria and progress."""

    commune: str
    framework: str
    criteria: tuple[str, ...]
    years: tuple[RuralYear, ...]


@dataclass(frozen=True)
class Commendation:
    """A commendation to a collective or an individual."""

    year: int
    form: str
    issuer: str
    decision: str
    recipient: str
    recipient_kind: str
    reason: str
    status: str


@dataclass(frozen=True)
class Review:
    """A mid-term or final review of the movement and its report."""

    id: str
    kind: str
    title: str
    year: int
    status: str
    report_number: str
    report_date: date | None
    recipients: tuple[str, ...]
    tag: str


@dataclass(frozen=True)
class Records:
    """All result records; empty tuples when a kind is not kept yet."""

    sample: bool
    start_year: int
    end_year: int
    source_note: str
    targets: tuple[Target, ...] = ()
    poverty: tuple[PovertyYear, ...] = ()
    campaigns: tuple[Campaign, ...] = ()
    contributions: tuple[Contribution, ...] = ()
    visits: tuple[Visit, ...] = ()
    rural: RuralProgram | None = None
    commendations: tuple[Commendation, ...] = ()
    reviews: tuple[Review, ...] = ()

    @property
    def present(self) -> bool:
        """Whether there is anything to show on a results page."""
        return bool(self.targets or self.poverty or self.contributions or self.visits or self.rural
                    or self.commendations or self.reviews)

    def campaign(self, campaign_id: str) -> Campaign | None:
        """The campaign with this id."""
        return next((c for c in self.campaigns if c.id == campaign_id), None)
