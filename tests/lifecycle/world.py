"""A small library built through the registry's services: staff, city reviewers, an organiser,
and providers whose resources are certified by Art.17 direct entry (the shortest route in)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from registry.actor import Actor
from registry.enums import Role
from registry.inputs import DirectEntryInput
from registry.models import AuditEntry, LibraryEventRecord
from registry.reference import Direction
from registry.seed_schema import Route
from registry.services import batches, organisations, publicity, resources, submissions
from registry.services.evidence import add_evidence
from registry.storage import FileStore
from tests.db.factories import (
    APPLICANT,
    AUDIT,
    PATENT,
    add_staff,
    add_user,
    at,
    case_input,
    org_input,
    resource_input,
    upload,
    uscc,
)

CERTIFIED_AT = at(2025, 11, 5)
PLATFORM = DirectEntryInput(
    platform="广东省制造业创新中心",
    document="粤工信创新函〔2024〕12号",
    certified_on=date(2024, 6, 1),
    valid_until=date(2027, 5, 31),
)
DIVISIONS = {
    "东莞市": "441900",
    "广州市": "440100",
    "深圳市": "440300",
    "佛山市": "440600",
    "省外": "320100",
}


@dataclass
class Provider:
    """A registered organisation and its provider user."""

    actor: Actor
    organisation_id: int
    city: str


@dataclass
class World:
    """Staff and a batch; certifies resources on demand."""

    sessions: sessionmaker[Session]
    store: FileStore
    staff: Actor
    gz_reviewer: Actor
    sz_reviewer: Actor
    dg_reviewer: Actor
    organiser: Actor
    other_organiser: Actor
    providers: dict[int, Provider] = field(default_factory=dict)

    def provider(self, n: int, city: str = "东莞市") -> Provider:
        """Organisation `n` (registered on first use) and its provider."""
        if n not in self.providers:
            with self.sessions() as s:
                org = organisations.register_organisation(
                    session=s,
                    actor=APPLICANT,
                    now=CERTIFIED_AT,
                    data=org_input(
                        n,
                        city=city,
                        name=f"{city}赋能科技有限公司{n}",
                        uscc=uscc(n, DIVISIONS[city]),
                        province="广东省" if city != "省外" else "江苏省",
                    ),
                    store=self.store,
                    licence=upload("licence.pdf"),
                )
                actor = add_user(
                    s, CERTIFIED_AT, f"provider-{n}", Role.PROVIDER, organisation_id=org.id
                )
                add_evidence(
                    session=s,
                    actor=actor,
                    now=CERTIFIED_AT,
                    store=self.store,
                    organisation_id=org.id,
                    resource_id=None,
                    data=AUDIT,
                    upload=upload("audit.pdf"),
                )
                s.commit()
            self.providers[n] = Provider(actor, org.id, city)
        return self.providers[n]

    def submit(self, code: str, *, n: int, now: datetime = CERTIFIED_AT) -> int:
        """Submit an Art.17 application for a new resource `code` of organisation `n` and leave
        it open (submitted, not yet verified); returns the application id."""
        p = self.provider(n)
        with self.sessions() as s:
            app_id = self._draft(
                s,
                p,
                code,
                now=now,
                title="工业数字孪生平台",
                summary="产线数字孪生仿真",
                keywords=("数字孪生",),
                directions=(Direction.RND,),
            )
            submissions.submit_application(
                session=s, actor=p.actor, now=now, application_id=app_id, commitment_signed=True
            )
            s.commit()
        return app_id

    def draft(self, code: str, *, n: int, now: datetime) -> int:
        """A draft Art.17 application for a new resource of organisation `n`; committed."""
        p = self.provider(n)
        with self.sessions() as s:
            app_id = self._draft(
                s,
                p,
                code,
                now=now,
                title="工业数字孪生平台",
                summary="产线数字孪生仿真",
                keywords=("数字孪生",),
                directions=(Direction.RND,),
            )
            s.commit()
        return app_id

    def _draft(
        self,
        s: Session,
        p: Provider,
        code: str,
        *,
        now: datetime,
        title: str,
        summary: str,
        keywords: tuple[str, ...],
        directions: tuple[Direction, ...],
    ) -> int:
        res = resources.create_resource(
            session=s,
            actor=p.actor,
            now=now,
            organisation_id=p.organisation_id,
            data=resource_input(
                code=code, title=title, summary=summary, keywords=keywords, directions=directions
            ),
        )
        for i in range(3):
            resources.add_case(
                session=s, actor=p.actor, now=now, resource_id=res.id, data=case_input(i + 1)
            )
        add_evidence(
            session=s,
            actor=p.actor,
            now=now,
            store=self.store,
            organisation_id=p.organisation_id,
            resource_id=res.id,
            data=PATENT,
            upload=upload("patent.pdf"),
        )
        app = submissions.start_application(
            session=s,
            actor=p.actor,
            now=now,
            resource_id=res.id,
            batch_code="2025Q4",
            route=Route.DIRECT_ENTRY,
            direct_entry=PLATFORM,
        )
        return app.id

    def certify(
        self,
        code: str,
        *,
        n: int,
        title: str = "机器视觉缺陷检测系统",
        summary: str = "基于深度学习的表面缺陷检测",
        keywords: tuple[str, ...] = ("机器视觉", "缺陷检测"),
        directions: tuple[Direction, ...] = (Direction.AI, Direction.MANUFACTURING),
        city: str = "东莞市",
        now: datetime = CERTIFIED_AT,
    ) -> int:
        """Certify resource `code` of organisation `n` by Art.17; returns the application id."""
        p = self.provider(n, city)
        with self.sessions() as s:
            app_id = self._draft(
                s,
                p,
                code,
                now=now,
                title=title,
                summary=summary,
                keywords=keywords,
                directions=directions,
            )
            submissions.submit_application(
                session=s, actor=p.actor, now=now, application_id=app_id, commitment_signed=True
            )
            s.commit()
            publicity.verify_direct_entry(
                session=s, actor=self.staff, now=now, application_id=app_id
            )
            s.commit()
            return app_id


def build_world(sessions: sessionmaker[Session], store: FileStore) -> World:
    """Staff, reviewers of 广州 / 深圳 / 东莞, two organisers and the 2025Q4 batch; committed."""
    with sessions() as s:
        staff, gz, sz, _ = add_staff(s, at(2025, 10, 20))
        dg = add_user(s, at(2025, 10, 20), "dg-reviewer", Role.MUNICIPAL_REVIEWER, city="东莞市")
        organiser = add_user(s, at(2025, 10, 20), "organiser", Role.ORGANISER)
        other = add_user(s, at(2025, 10, 20), "organiser-2", Role.ORGANISER)
        batches.create_batch(
            session=s,
            actor=staff,
            now=at(2025, 10, 20),
            code="2025Q4",
            title="2025年第四季度",
            opens_on=date(2025, 10, 9),
            deadline_on=date(2025, 11, 28),
        )
        s.commit()
    return World(sessions, store, staff, gz, sz, dg, organiser, other)


def outbox(session: Session) -> list[tuple[str, str]]:
    """(resource code, kind) of every outbox row, oldest first."""
    session.expire_all()
    rows = session.scalars(select(LibraryEventRecord).order_by(LibraryEventRecord.id))
    return [(r.resource_code, r.kind.value) for r in rows]


def audit_actions(session: Session, prefix: str) -> list[str]:
    """Audited actions starting with `prefix`, oldest first."""
    rows = session.scalars(
        select(AuditEntry.action)
        .where(AuditEntry.action.startswith(prefix))
        .order_by(AuditEntry.id)
    )
    return list(rows)


def count(session: Session, model: type) -> int:
    """Rows of a model."""
    return session.scalar(select(func.count()).select_from(model)) or 0
