"""Shape of the YAML files that describe organisations, resources and cases for loading
through the real pipeline (`funeng registry load FILE…`, used by the demo library).

This module checks structure and vocabulary only. The rules of the Measures (Art.4, 7, 9, 11,
12, bans) are enforced by the workflow itself when the loader submits each application, so a
file that passes here can still be refused there, with findings citing the article.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from registry.enums import ExpertCategory, Role
from registry.reference import (
    GUANGDONG_CITIES,
    INDUSTRIES,
    OUTSIDE_GUANGDONG,
    Direction,
    Form,
    OrgType,
    Scale,
)
from registry.uscc import uscc_problem

Text = Annotated[str, Field(min_length=1)]


class EvidenceKind(StrEnum):
    """Kinds of Art.9 evidence; each kind has its Art.12 timeliness rule."""

    INVENTION_PATENT = "发明专利"  # Art.12(2): granted within 5 years
    UTILITY_PATENT = "实用新型专利"  # Art.12(2)
    SOFTWARE_COPYRIGHT = "软件著作权"  # Art.12(2)
    QUALIFICATION = "资质认定"  # Art.12(1): within validity (专精特新, 单项冠军, 企业技术中心…)
    INNOVATION_PLATFORM = "创新平台认定"  # Art.17 direct entry; Art.12(1) within validity
    STANDARD = "标准"  # participation in drafting a standard
    CERTIFICATION = "产品认证"  # Art.12(1): within validity
    TEST_REPORT = "检验检测报告"  # Art.12(3): issued within 2 years
    AUDIT_REPORT = "财务审计报告"  # Art.12(4): within 1 year
    FINANCIAL_STATEMENT = "财务说明"  # Art.9(4) for innovative SMEs, universities, institutes
    OTHER = "其他"


class ApplicationOutcome(StrEnum):
    """How far the loader takes an application through the workflow."""

    CERTIFIED = "certified"  # the whole pipeline: in the library
    DRAFT = "draft"  # saved, never submitted
    MUNICIPAL_REVIEW = "municipal_review"  # submitted, the city has not decided yet
    RETURNED = "returned"  # the city returned it for completion; the provider has not answered
    RESUBMITTED_CERTIFIED = "resubmitted_certified"  # returned, completed, then certified
    REJECTED_MUNICIPAL = "rejected_municipal"  # the city rejected it
    EXPERT_REVIEW = "expert_review"  # recommended, experts are scoring
    REJECTED_EXPERT = "rejected_expert"  # the panel rejected it
    PUBLICITY = "publicity"  # proposed, in its 5-working-day publicity
    OBJECTION_PENDING = "objection_pending"  # in publicity with an objection not yet decided
    OBJECTION_UPHELD = "objection_upheld"  # an objection was upheld: rejected
    OBJECTION_DISMISSED = "objection_dismissed"  # an objection was unfounded: certified


class Route(StrEnum):
    """Which path an application takes (Art.13, Art.16, Art.17)."""

    MUNICIPAL = "municipal"
    PROVINCIAL_DIRECT = "provincial_direct"  # Art.16: outside Guangdong or central/provincial SOE
    DIRECT_ENTRY = "direct_entry"  # Art.17: certified innovation platform


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Accident(_Strict):
    """A safety, environmental or quality accident (Art.4(4))."""

    occurred_on: date
    kind: Annotated[str, Field(pattern="^(安全生产|环境保护|产品质量)$")]
    severity: Annotated[str, Field(pattern="^(一般|较大|重大|特别重大)$")]
    description: Text


class Violation(_Strict):
    """A recorded violation of law or regulation (Art.7(5))."""

    occurred_on: date
    major: bool
    description: Text


class Credit(_Strict):
    """Credit status: serious-dishonesty list (Art.4(5)) and abnormal-operation list (Art.7(5))."""

    dishonest_listed_on: date | None = None
    dishonest_removed_on: date | None = None
    punishment_ends_on: date | None = None
    abnormal_operation: bool = False


class Declarations(_Strict):
    """What the applicant declares under Art.4(1)-(3)."""

    independent_legal_person: bool = True
    operating_normally: bool = True
    facilities_and_team: bool = True
    sound_finance: bool = True


class Contact(_Strict):
    name: Text
    phone: Text
    email: Text


class Evidence(_Strict):
    """One evidence document; dates are what the document says (授权 / 出具 / 发证 / 有效期)."""

    kind: EvidenceKind
    title: Text
    number: str | None = None
    issued_on: date
    expires_on: date | None = None
    issuer: str | None = None

    @field_validator("number", mode="before")
    @classmethod
    def _number_as_text(cls, value: object) -> object:
        # YAML reads an all-digit certificate number (e.g. a CMA number) as an integer.
        return str(value) if isinstance(value, int) else value

    @model_validator(mode="after")
    def _validity_needs_end(self) -> Evidence:
        needs_end = {
            EvidenceKind.QUALIFICATION,
            EvidenceKind.INNOVATION_PLATFORM,
            EvidenceKind.CERTIFICATION,
        }
        if self.kind in needs_end and self.expires_on is None:
            raise ValueError(f"{self.kind.value}必须给出有效期截止日期 expires_on")
        if self.expires_on is not None and self.expires_on <= self.issued_on:
            raise ValueError("expires_on 必须晚于 issued_on")
        return self


class Organisation(_Strict):
    """An applicant organisation as registered under Art.8."""

    key: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9\-]*$")]
    name: Text
    uscc: Text
    org_type: OrgType
    innovative_sme: bool = False
    scale: Scale
    city: Text  # one of the 21 cities, or 省外
    province: Text = "广东省"
    address: Text
    guangdong_operations: Text
    established_on: date
    business_since: date  # start of the business in the declared direction (Art.7(1))
    employees: int = Field(ge=1)
    revenue: dict[int, int] = Field(default_factory=dict)  # CNY per year, last two years
    contact: Contact
    declarations: Declarations = Declarations()
    credit: Credit = Credit()
    accidents: tuple[Accident, ...] = ()
    violations: tuple[Violation, ...] = ()
    financial_documents: tuple[Evidence, ...] = ()  # audit report or financial statement

    @field_validator("uscc")
    @classmethod
    def _uscc_valid(cls, value: str) -> str:
        problem = uscc_problem(value)
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("city")
    @classmethod
    def _known_city(cls, value: str) -> str:
        if value != OUTSIDE_GUANGDONG and value not in GUANGDONG_CITIES:
            raise ValueError(f"未知城市：{value}（应为广东省 21 个地级以上市之一或“省外”）")
        return value

    @model_validator(mode="after")
    def _province_matches_city(self) -> Organisation:
        if (self.city == OUTSIDE_GUANGDONG) == (self.province == "广东省"):
            raise ValueError("city 为“省外”时 province 必须为外省，反之必须为广东省")
        return self


class Case(_Strict):
    """An application case (典型案例, Art.9(2))."""

    title: Text
    client: Text
    client_city: Text
    client_industry: Text
    started_on: date
    completed_on: date
    implementation: Text  # 实施情况
    results: Text  # 取得成效
    feedback: Text  # 用户反馈
    feedback_on: date

    @field_validator("client_industry")
    @classmethod
    def _industry_known(cls, value: str) -> str:
        if value not in INDUSTRIES:
            raise ValueError(f"未知行业代码：{value}（应为 GB/T 4754-2017 C13–C43）")
        return value

    @model_validator(mode="after")
    def _dates_ordered(self) -> Case:
        if not self.started_on <= self.completed_on <= self.feedback_on:
            raise ValueError("应满足 started_on ≤ completed_on ≤ feedback_on")
        return self


class DirectEntry(_Strict):
    """Art.17: the provincial-or-higher certification of an innovation platform."""

    platform: Text  # e.g. 广东省制造业创新中心
    document: Text  # e.g. 粤工信创新函〔2024〕12号
    certified_on: date
    valid_until: date


class Objection(_Strict):
    """An objection (异议) raised during publicity."""

    raised_by: Text
    content: Text
    upheld: bool | None = None  # None: not decided yet
    decision: str | None = None


class Application(_Strict):
    """How the resource is applied for and how far the loader takes it."""

    batch: Annotated[str, Field(pattern=r"^\d{4}Q[1-4]$")]
    route: Route = Route.MUNICIPAL
    submitted_on: date
    outcome: ApplicationOutcome = ApplicationOutcome.CERTIFIED
    years_waiver: str | None = None  # Art.7(1) waiver reason, recorded by the province
    direct_entry: DirectEntry | None = None
    return_reason: str | None = None
    reject_reason: str | None = None
    objection: Objection | None = None
    priority: bool = False  # Art.19(4): marked outstanding after certification

    @model_validator(mode="after")
    def _direct_entry_consistent(self) -> Application:
        if (self.route is Route.DIRECT_ENTRY) != (self.direct_entry is not None):
            raise ValueError("route 为 direct_entry 时必须且只能给出 direct_entry")
        return self


class Resource(_Strict):
    """An enabling resource with its Art.9 materials."""

    code: Annotated[str, Field(pattern=r"^[A-Z]{2,3}-\d{3}$")]
    org: Text
    consortium: tuple[str, ...] = ()  # other organisations' keys, 综合赋能 only (Art.5)
    title: Text
    directions: tuple[Direction, ...] = Field(min_length=1)
    form: Form
    industries: tuple[str, ...] = Field(min_length=1)
    summary: Text  # 技术简介
    advantages: Text  # 核心优势
    indicators: Text  # 性能指标
    scenarios: Text  # 应用场景
    keywords: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    cases: tuple[Case, ...] = ()
    application: Application

    @field_validator("industries")
    @classmethod
    def _industries_known(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [code for code in value if code not in INDUSTRIES]
        if unknown:
            raise ValueError(f"未知行业代码：{', '.join(unknown)}")
        return value

    @model_validator(mode="after")
    def _consortium_only_comprehensive(self) -> Resource:
        if self.consortium and Direction.COMPREHENSIVE not in self.directions:
            raise ValueError("只有综合赋能方向的资源可以由联合体申报（第五条）")
        return self


class SeedFile(_Strict):
    """One YAML file: organisations and their resources (references may cross files)."""

    organisations: tuple[Organisation, ...] = ()
    resources: tuple[Resource, ...] = ()


class Batch(_Strict):
    """A quarterly batch (Art.10): applications are accepted from `opens_on` to `deadline_on`."""

    code: Annotated[str, Field(pattern=r"^\d{4}Q[1-4]$")]
    title: Text
    opens_on: date
    deadline_on: date


class BatchesFile(_Strict):
    """`batches.yaml`: the batches the demo library was applied in."""

    batches: tuple[Batch, ...]


class DemoUser(_Strict):
    """A staff, reviewer or expert account of `users.yaml` (providers are made per organisation)."""

    username: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9\-_.]*$", max_length=64)]
    display_name: Text
    role: Role
    city: str | None = None  # municipal reviewers: one of the 21 cities
    category: ExpertCategory | None = None  # experts
    affiliation: str | None = None  # experts: their organisation (Art.22 conflicts)

    @model_validator(mode="after")
    def _scope_matches_role(self) -> DemoUser:
        reviewer = self.role is Role.MUNICIPAL_REVIEWER
        if reviewer != (self.city is not None) or (reviewer and self.city not in GUANGDONG_CITIES):
            raise ValueError("municipal_reviewer 必须且只能给出广东省 21 个地级以上市之一作为 city")
        expert = self.role is Role.EXPERT
        if expert != (self.category is not None) or expert != bool(self.affiliation):
            raise ValueError("expert 必须且只能给出 category 和 affiliation")
        if self.role is Role.PROVIDER:
            raise ValueError("provider 账号由加载程序按申报单位创建，不在 users.yaml 中列出")
        return self


class UsersFile(_Strict):
    """`users.yaml`: the demo's accounts; every one (and every provider) uses `password`."""

    password: Annotated[str, Field(min_length=8)]
    users: tuple[DemoUser, ...]

    @model_validator(mode="after")
    def _unique_usernames(self) -> UsersFile:
        names = [user.username for user in self.users]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ValueError(f"duplicate username: {', '.join(duplicates)}")
        return self


def load_seed_files(paths: list[str]) -> list[SeedFile]:
    """Parse and structurally validate seed files; cross-file references are checked too."""
    import yaml

    files = []
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            files.append(SeedFile.model_validate(yaml.safe_load(handle)))
    _check_references(files)
    return files


def _check_references(files: list[SeedFile]) -> None:
    orgs = [org for f in files for org in f.organisations]
    resources = [res for f in files for res in f.resources]
    problems: list[str] = []
    for label, values in (
        ("organisation key", [o.key for o in orgs]),
        ("USCC", [o.uscc for o in orgs]),
        ("organisation name", [o.name for o in orgs]),
        ("resource code", [r.code for r in resources]),
    ):
        seen: set[str] = set()
        for value in values:
            if value in seen:
                problems.append(f"duplicate {label}: {value}")
            seen.add(value)
    keys = {o.key for o in orgs}
    for res in resources:
        for ref in (res.org, *res.consortium):
            if ref not in keys:
                problems.append(f"{res.code}: unknown organisation {ref}")
    if problems:
        raise ValueError("; ".join(problems))


if __name__ == "__main__":
    import sys

    loaded = load_seed_files(sys.argv[1:])
    n_orgs = sum(len(f.organisations) for f in loaded)
    n_res = sum(len(f.resources) for f in loaded)
    n_cases = sum(len(r.cases) for f in loaded for r in f.resources)
    sys.stdout.write(f"ok: {n_orgs} organisations, {n_res} resources, {n_cases} cases\n")
