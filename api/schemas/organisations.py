"""Organisations (Art.8) with their declarations and credit status, and what staff record
against them (accidents, violations, bans).

Types only: the registry validates the USCC check character, the city and the dates, and
answers with codes that cite the article.
"""

from __future__ import annotations

from datetime import date

from pydantic import Field

from api.schemas.common import InputSchema, LocalDateTime, ReadSchema
from registry.inputs import AccidentInput, OrganisationInput, ViolationInput
from registry.models.organisations import Organisation
from registry.reference import OrgType, Scale
from registry.rules.facts import AccidentKind, AccidentSeverity


class RevenueItem(InputSchema):
    """Operating revenue of one year in CNY (Art.7(2))."""

    year: int = Field(ge=1990, le=2100)
    amount_cny: int = Field(ge=0)


class AccidentCreate(InputSchema):
    """A safety, environmental or quality accident (Art.4(4))."""

    occurred_on: date
    kind: AccidentKind
    severity: AccidentSeverity
    description: str = Field(min_length=1, max_length=4000)

    def to_input(self) -> AccidentInput:
        """The registry's input."""
        return AccidentInput(**self.model_dump())


class ViolationCreate(InputSchema):
    """A violation of law or regulation (Art.7(5))."""

    occurred_on: date
    major: bool
    description: str = Field(min_length=1, max_length=4000)

    def to_input(self) -> ViolationInput:
        """The registry's input."""
        return ViolationInput(**self.model_dump())


class OrganisationCreate(InputSchema):
    """An organisation as registered under Art.8, with its Art.4 declarations."""

    uscc: str = Field(min_length=1, max_length=18, description="统一社会信用代码")
    name: str = Field(min_length=1, max_length=200)
    org_type: OrgType
    scale: Scale
    city: str = Field(description="广东省 21 个地级以上市之一，或“省外”")
    province: str = "广东省"
    address: str = Field(min_length=1)
    guangdong_operations: str = Field(min_length=1, description="在粤经营情况")
    established_on: date
    business_since: date = Field(description="从事相关赋能业务的起始日期（第七条第（一）项）")
    employees: int = Field(ge=1)
    contact_name: str = Field(min_length=1, max_length=100)
    contact_phone: str = Field(min_length=1, max_length=50)
    contact_email: str = Field(min_length=3, max_length=200, pattern=r"^[^@\s]+@[^@\s]+$")
    innovative_sme: bool = False
    revenue: list[RevenueItem] = Field(default_factory=list, max_length=10)
    independent_legal_person: bool = True
    operating_normally: bool = True
    facilities_and_team: bool = True
    sound_finance: bool = True
    dishonest_listed_on: date | None = None
    dishonest_removed_on: date | None = None
    punishment_ends_on: date | None = None
    abnormal_operation: bool = False
    accidents: list[AccidentCreate] = Field(default_factory=list, max_length=50)
    violations: list[ViolationCreate] = Field(default_factory=list, max_length=50)

    def to_input(self) -> OrganisationInput:
        """The registry's input."""
        fields = self.model_dump(exclude={"revenue", "accidents", "violations"})
        return OrganisationInput(
            **fields,
            revenue=tuple((r.year, r.amount_cny) for r in self.revenue),
            accidents=tuple(a.to_input() for a in self.accidents),
            violations=tuple(v.to_input() for v in self.violations),
        )


class RevenueRead(ReadSchema):
    """Revenue of one year."""

    year: int
    amount_cny: int


class OrganisationRead(ReadSchema):
    """An organisation as its own provider and the province see it (never public)."""

    id: int
    uscc: str
    name: str
    org_type: OrgType
    innovative_sme: bool
    scale: Scale
    city: str
    province: str
    address: str
    guangdong_operations: str
    established_on: date
    business_since: date
    employees: int
    contact_name: str
    contact_phone: str
    contact_email: str
    revenues: list[RevenueRead]
    created_at: LocalDateTime


class AccidentRead(ReadSchema):
    """A recorded accident."""

    id: int
    occurred_on: date
    kind: AccidentKind
    severity: AccidentSeverity
    description: str


class ViolationRead(ReadSchema):
    """A recorded violation."""

    id: int
    occurred_on: date
    major: bool
    description: str


class BanCreate(InputSchema):
    """A 3-year ban on applying (Art.19(2) or Art.21)."""

    reason: str = Field(min_length=1, max_length=4000)
    article: str = Field(description="Art.19(2) 或 Art.21", examples=["Art.21"])


class BanRead(ReadSchema):
    """A ban on applying and its period."""

    id: int
    starts_on: date
    ends_on: date
    reason: str
    article: str


class OrganisationStaffRead(OrganisationRead):
    """An organisation as the province sees it: credit status, accidents, violations, bans."""

    independent_legal_person: bool
    operating_normally: bool
    facilities_and_team: bool
    sound_finance: bool
    dishonest_listed_on: date | None
    dishonest_removed_on: date | None
    punishment_ends_on: date | None
    abnormal_operation: bool
    accidents: list[AccidentRead]
    violations: list[ViolationRead]
    bans: list[BanRead]

    @classmethod
    def of(cls, org: Organisation) -> OrganisationStaffRead:
        """The staff view of an organisation."""
        return cls.model_validate(org)
