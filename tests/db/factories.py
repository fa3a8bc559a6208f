"""Building a small valid world through the services: a batch, staff, a city reviewer, three
experts, and a Guangzhou enterprise with a resource that passes every rule."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from argon2 import PasswordHasher
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from registry.actor import Actor
from registry.db import Base
from registry.enums import ExpertCategory, Role
from registry.inputs import (
    CaseInput,
    EvidenceInput,
    OrganisationInput,
    ResourceInput,
    UploadedFile,
)
from registry.models.applications import Application
from registry.reference import Direction, Form, OrgType, Scale
from registry.seed_schema import EvidenceKind, Route
from registry.services import accounts, batches, organisations, resources, submissions
from registry.services.evidence import add_evidence
from registry.storage import FileStore
from registry.uscc import make_uscc

SH = ZoneInfo("Asia/Shanghai")
ADMIN = Actor(user_id=None, role=Role.ADMIN)
APPLICANT = Actor(user_id=None, role=Role.PROVIDER)  # registering, before it has a user
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
PASSWORD = "demo-password-1"


def at(y: int, m: int, d: int, hh: int = 9, mm: int = 30) -> datetime:
    """A moment in Asia/Shanghai."""
    return datetime(y, m, d, hh, mm, tzinfo=SH)


def uscc(n: int, division: str = "440100") -> str:
    """A valid unified social credit code numbered `n` registered in `division`."""
    return make_uscc(f"91{division}{n:09d}")


def org_input(n: int = 1, **changes: object) -> OrganisationInput:
    """A Guangzhou enterprise that meets Art.4 and Art.7 on 2025-11-03."""
    data = OrganisationInput(
        uscc=uscc(n),
        name=f"广州测试智能科技有限公司{n}",
        org_type=OrgType.ENTERPRISE,
        scale=Scale.MEDIUM,
        city="广州市",
        address="广州市黄埔区科学大道 1 号",
        guangdong_operations="总部及研发中心位于广州",
        established_on=date(2015, 3, 1),
        business_since=date(2016, 1, 1),
        employees=120,
        contact_name="张工",
        contact_phone="020-12345678",
        contact_email="zhang@example.cn",
        revenue=((2023, 28_000_000), (2024, 35_000_000)),
    )
    return replace(data, **changes)  # type: ignore[arg-type]


def resource_input(**changes: object) -> ResourceInput:
    """A machine-vision inspection resource."""
    data = ResourceInput(
        title="机器视觉缺陷检测系统",
        directions=(Direction.AI, Direction.MANUFACTURING),
        form=Form.STANDARD_PRODUCT,
        industries=("C39", "C38"),
        summary="基于深度学习的表面缺陷检测",
        advantages="检出率高、部署快",
        indicators="检出率 99.5%，节拍 200ms",
        scenarios="电子元器件、家电外观检测",
        keywords=("机器视觉", "缺陷检测"),
    )
    return replace(data, **changes)  # type: ignore[arg-type]


def case_input(i: int, **changes: object) -> CaseInput:
    """A complete application case with feedback in 2025."""
    data = CaseInput(
        title=f"某电子厂外观检测改造{i}",
        client=f"东莞某电子有限公司{i}",
        client_city="东莞市",
        client_industry="C39",
        started_on=date(2024, 3, 1),
        completed_on=date(2024, 9, 1),
        implementation="部署 8 个检测工位",
        results="漏检率下降 80%",
        feedback="效果显著",
        feedback_on=date(2025, 6, 1),
    )
    return replace(data, **changes)  # type: ignore[arg-type]


def upload(name: str) -> UploadedFile:
    """A small placeholder file."""
    return UploadedFile(
        filename=name, content=f"placeholder {name}".encode(), content_type="application/pdf"
    )


PATENT = EvidenceInput(
    kind=EvidenceKind.INVENTION_PATENT,
    title="一种缺陷检测方法",
    number="ZL202210000001.1",
    issued_on=date(2022, 5, 10),
)
AUDIT = EvidenceInput(
    kind=EvidenceKind.AUDIT_REPORT, title="2024 年度财务审计报告", issued_on=date(2025, 4, 15)
)


@dataclass
class World:
    """Actors and objects of a small world."""

    staff: Actor
    reviewer: Actor  # 广州市
    other_reviewer: Actor  # 深圳市
    experts: list[Actor]
    provider: Actor
    organisation_id: int
    resource_id: int
    application_id: int


def actor_of(session: Session, user_id: int) -> Actor:
    """The actor of a stored user."""
    from registry.models.accounts import User

    user = session.get(User, user_id)
    assert user is not None
    return Actor.of(user)


def add_user(
    session: Session,
    now: datetime,
    username: str,
    role: Role,
    *,
    city: str | None = None,
    organisation_id: int | None = None,
    expert: accounts.ExpertProfile | None = None,
) -> Actor:
    """Create a user through the service and return its actor."""
    user = accounts.create_user(
        session=session,
        actor=ADMIN,
        now=now,
        username=username,
        password=PASSWORD,
        role=role,
        display_name=username,
        hasher=FAST_HASHER,
        city=city,
        organisation_id=organisation_id,
        expert=expert,
    )
    return actor_of(session, user.id)


def add_staff(session: Session, now: datetime) -> tuple[Actor, Actor, Actor, list[Actor]]:
    """Provincial staff, reviewers of 广州 and 深圳, and one expert of each category."""
    staff = add_user(session, now, "staff", Role.PROVINCIAL_STAFF)
    gz = add_user(session, now, "gz-reviewer", Role.MUNICIPAL_REVIEWER, city="广州市")
    sz = add_user(session, now, "sz-reviewer", Role.MUNICIPAL_REVIEWER, city="深圳市")
    experts = [
        add_user(
            session,
            now,
            f"expert-{c.value}",
            Role.EXPERT,
            expert=accounts.ExpertProfile(category=c, affiliation=f"华南某大学{i}"),
        )
        for i, c in enumerate(ExpertCategory)
    ]
    return staff, gz, sz, experts


def add_provider_resource(
    session: Session,
    store: FileStore,
    now: datetime,
    *,
    n: int = 1,
    org: OrganisationInput | None = None,
    cases: int = 3,
    route: Route = Route.MUNICIPAL,
    batch: str = "2025Q4",
) -> tuple[Actor, int, int, int]:
    """Register an organisation, its provider user, a resource with cases and evidence, and a
    draft application; returns (provider, organisation id, resource id, application id)."""
    registered = organisations.register_organisation(
        session=session,
        actor=APPLICANT,
        now=now,
        data=org or org_input(n),
        store=store,
        licence=upload("licence.pdf"),
    )
    provider = add_user(session, now, f"provider-{n}", Role.PROVIDER, organisation_id=registered.id)
    res = resources.create_resource(
        session=session,
        actor=provider,
        now=now,
        organisation_id=registered.id,
        data=resource_input(code=f"AI-{n:03d}"),
    )
    for i in range(cases):
        resources.add_case(
            session=session, actor=provider, now=now, resource_id=res.id, data=case_input(i + 1)
        )
    add_evidence(
        session=session,
        actor=provider,
        now=now,
        store=store,
        organisation_id=registered.id,
        resource_id=res.id,
        data=PATENT,
        upload=upload("patent.pdf"),
    )
    add_evidence(
        session=session,
        actor=provider,
        now=now,
        store=store,
        organisation_id=registered.id,
        resource_id=None,
        data=AUDIT,
        upload=upload("audit.pdf"),
    )
    application = submissions.start_application(
        session=session, actor=provider, now=now, resource_id=res.id, batch_code=batch, route=route
    )
    return provider, registered.id, res.id, application.id


def build_world(session: Session, store: FileStore, now: datetime | None = None) -> World:
    """The whole small world, committed, with a draft application ready to submit."""
    now = now or at(2025, 10, 20)
    staff, gz, sz, experts = add_staff(session, now)
    batches.create_batch(
        session=session,
        actor=staff,
        now=now,
        code="2025Q4",
        title="2025年第四季度",
        opens_on=date(2025, 10, 9),
        deadline_on=date(2025, 11, 28),
    )
    provider, org_id, res_id, app_id = add_provider_resource(session, store, now)
    session.commit()
    return World(staff, gz, sz, experts, provider, org_id, res_id, app_id)


def row_counts(session: Session) -> dict[str, int]:
    """Rows per table: compared before and after a refused action."""
    session.expire_all()
    counts = {
        table.name: session.scalar(select(func.count()).select_from(table)) or 0
        for table in Base.metadata.sorted_tables
    }
    session.rollback()
    return counts


def application(session: Session, application_id: int) -> Application:
    """A fresh copy of an application."""
    session.expire_all()
    found = session.get(Application, application_id)
    assert found is not None
    return found
