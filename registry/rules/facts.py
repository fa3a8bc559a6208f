"""Plain facts the rules of the Measures are checked against, filled by the services from ORM rows.

Everything here is a frozen dataclass of plain values: the rules never touch the database. Text
fields that a draft may leave empty are ``str | None``; the Art.9 completeness check reports
what is missing rather than the constructor refusing it. Vocabulary fields (directions, form,
industries) take plain strings so that an unknown value reaches the Art.2 / Art.5 / Art.9(1)
checks and becomes a finding instead of a ``ValueError`` in the caller.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from types import MappingProxyType
from zoneinfo import ZoneInfo

from registry.reference import OrgType, Scale
from registry.seed_schema import EvidenceKind, Route

SHANGHAI = ZoneInfo("Asia/Shanghai")


class AccidentKind(StrEnum):
    """The three kinds of accident that Art.4(4) and Art.19(2) name."""

    SAFETY = "安全生产"
    ENVIRONMENT = "环境保护"
    QUALITY = "产品质量"


class AccidentSeverity(StrEnum):
    """Accident grades of the State Council's classification (一般 < 较大 < 重大 < 特别重大)."""

    ORDINARY = "一般"
    LARGER = "较大"
    MAJOR = "重大"
    EXTRAORDINARY = "特别重大"


# Art.4(4): "重大（含）以上" — major and above.
MAJOR_OR_ABOVE = frozenset({AccidentSeverity.MAJOR, AccidentSeverity.EXTRAORDINARY})


@dataclass(frozen=True, slots=True)
class AccidentFacts:
    """A safety, environmental or quality accident (Art.4(4)); severity is a grade value."""

    occurred_on: date
    kind: str  # AccidentKind value
    severity: str  # AccidentSeverity value


@dataclass(frozen=True, slots=True)
class ViolationFacts:
    """A recorded violation of law or regulation; `major` ones count under Art.7(5)."""

    occurred_on: date
    major: bool
    description: str


@dataclass(frozen=True, slots=True)
class BanFacts:
    """A ban on applying (Art.19(2), Art.21); `ends_on` is the last day it is in force."""

    starts_on: date
    ends_on: date
    reason: str
    article: str  # "Art.19(2)" or "Art.21"


@dataclass(frozen=True, slots=True, kw_only=True)
class EvidenceFacts:
    """One evidence document; `issued_on` is the grant / issue / certification date."""

    kind: EvidenceKind
    title: str
    number: str | None = None
    issued_on: date | None = None
    expires_on: date | None = None
    has_file: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class CaseFacts:
    """An application case (典型案例, Art.9(2)); a missing field is None or empty."""

    title: str
    client: str | None = None
    implementation: str | None = None
    results: str | None = None
    feedback: str | None = None
    completed_on: date | None = None
    feedback_on: date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ResourceFacts:
    """An enabling resource with its Art.9 materials."""

    code: str
    title: str
    directions: tuple[str, ...] = ()  # Direction values (Art.5)
    form: str | None = None  # Form value (Art.2)
    industries: tuple[str, ...] = ()  # GB/T 4754-2017 division codes C13-C43
    summary: str | None = None
    advantages: str | None = None
    indicators: str | None = None
    scenarios: str | None = None
    consortium: tuple[str, ...] = ()  # names of the other members (综合赋能 only)
    evidence: tuple[EvidenceFacts, ...] = ()
    cases: tuple[CaseFacts, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class ApplicantFacts:
    """The applicant organisation: registration, Art.4(1)-(3) declarations, credit, history."""

    uscc: str
    name: str
    org_type: OrgType
    innovative_sme: bool = False
    scale: Scale | None = None
    city: str  # one of the 21 cities of Guangdong, or 省外
    province: str
    independent_legal_person: bool
    operating_normally: bool
    facilities_and_team: bool
    sound_finance: bool
    business_since: date | None = None
    revenue: Mapping[int, int] = field(default_factory=dict, hash=False)  # year -> CNY
    dishonest_listed_on: date | None = None
    dishonest_removed_on: date | None = None
    punishment_ends_on: date | None = None
    abnormal_operation: bool = False
    accidents: tuple[AccidentFacts, ...] = ()
    violations: tuple[ViolationFacts, ...] = ()
    bans: tuple[BanFacts, ...] = ()
    financial_documents: tuple[EvidenceFacts, ...] = ()  # audit report or financial statement

    def __post_init__(self) -> None:
        # A read-only copy keeps the facts immutable even if the caller's dict changes later.
        object.__setattr__(self, "revenue", MappingProxyType(dict(self.revenue)))


@dataclass(frozen=True, slots=True, kw_only=True)
class DirectEntryFacts:
    """Art.17: the provincial-or-higher certification of an innovation platform."""

    platform: str
    document: str
    certified_on: date
    valid_until: date


@dataclass(frozen=True, slots=True, kw_only=True)
class SubmissionFacts:
    """The act of submitting: batch window, time, route, commitment, recorded waivers."""

    batch_code: str
    batch_opens_on: date
    batch_deadline_on: date
    submitted_at: datetime  # timezone-aware
    route: Route
    commitment_signed: bool
    years_waiver: str | None = None  # Art.7(1) waiver reason recorded by the province
    direct_entry: DirectEntryFacts | None = None

    def __post_init__(self) -> None:
        if self.submitted_at.tzinfo is None or self.submitted_at.utcoffset() is None:
            raise ValueError("submitted_at must be timezone-aware")

    @property
    def submitted_on(self) -> date:
        """The submission date in Asia/Shanghai: every Art.7 / Art.12 window counts from it."""
        return self.submitted_at.astimezone(SHANGHAI).date()
