"""What the services take: plain frozen dataclasses, filled by the edges (API schemas, loader)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from registry.reference import Direction, Form, OrgType, Scale
from registry.rules.facts import AccidentKind, AccidentSeverity
from registry.seed_schema import EvidenceKind


@dataclass(frozen=True, slots=True, kw_only=True)
class AccidentInput:
    """An accident to record on an organisation (Art.4(4))."""

    occurred_on: date
    kind: AccidentKind
    severity: AccidentSeverity
    description: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ViolationInput:
    """A violation to record on an organisation (Art.7(5))."""

    occurred_on: date
    major: bool
    description: str


@dataclass(frozen=True, slots=True, kw_only=True)
class OrganisationInput:
    """An organisation as registered under Art.8, with its declarations and credit status."""

    uscc: str
    name: str
    org_type: OrgType
    scale: Scale
    city: str  # one of the 21 cities of Guangdong, or 省外
    province: str = "广东省"
    address: str
    guangdong_operations: str
    established_on: date
    business_since: date
    employees: int
    contact_name: str
    contact_phone: str
    contact_email: str
    innovative_sme: bool = False
    revenue: tuple[tuple[int, int], ...] = ()  # (year, CNY)
    independent_legal_person: bool = True
    operating_normally: bool = True
    facilities_and_team: bool = True
    sound_finance: bool = True
    dishonest_listed_on: date | None = None
    dishonest_removed_on: date | None = None
    punishment_ends_on: date | None = None
    abnormal_operation: bool = False
    accidents: tuple[AccidentInput, ...] = ()
    violations: tuple[ViolationInput, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class ResourceInput:
    """An enabling resource's Art.9(1) information; `code` is generated when None."""

    title: str
    directions: tuple[Direction, ...]
    form: Form
    industries: tuple[str, ...]
    summary: str
    advantages: str
    indicators: str
    scenarios: str
    keywords: tuple[str, ...] = ()
    consortium_uscc: tuple[str, ...] = ()  # other members of a 综合赋能 consortium
    code: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CaseInput:
    """An application case (Art.9(2))."""

    title: str
    client: str
    client_city: str
    client_industry: str
    started_on: date
    completed_on: date
    implementation: str
    results: str
    feedback: str
    feedback_on: date


@dataclass(frozen=True, slots=True, kw_only=True)
class EvidenceInput:
    """An evidence document's metadata (Art.9(3)-(4)); the file comes as bytes alongside."""

    kind: EvidenceKind
    title: str
    issued_on: date
    number: str | None = None
    expires_on: date | None = None
    issuer: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DirectEntryInput:
    """Art.17: the certifying document of a provincial-or-higher innovation platform."""

    platform: str
    document: str
    certified_on: date
    valid_until: date


@dataclass(frozen=True, slots=True, kw_only=True)
class UploadedFile:
    """A file as uploaded: its name, type and bytes."""

    filename: str
    content: bytes
    content_type: str = "application/octet-stream"


@dataclass(frozen=True, slots=True, kw_only=True)
class ScoreInput:
    """One expert's scores (0-100) on the four Art.14 criteria."""

    advancement: int  # 技术先进性
    maturity: int  # 成熟度
    application_effect: int  # 应用成效
    promotion_value: int  # 推广价值
    comment: str = ""
