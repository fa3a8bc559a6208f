"""Certifying resources through the registry's services (Art.17 direct entry, the shortest
route into the library), and changing an entry's library state, for the freshness tests."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from registry.actor import Actor
from registry.enums import LibraryEventKind, LibraryStatus, Role
from registry.library import record_event
from registry.models.library import LibraryEntry, LibraryEventRecord
from registry.models.resources import Resource
from registry.seed_schema import Route
from registry.services import organisations, publicity, resources, submissions
from registry.services.evidence import add_evidence
from registry.storage import FileStore
from tests.db.factories import (
    APPLICANT,
    AUDIT,
    PATENT,
    add_user,
    at,
    case_input,
    org_input,
    resource_input,
    upload,
    uscc,
)

NOW = at(2025, 11, 5)


def certify(
    session: Session,
    store: FileStore,
    staff: Actor,
    *,
    n: int,
    code: str,
    title: str,
    summary: str,
    keywords: tuple[str, ...],
    city_division: str = "441900",
    city: str = "东莞市",
) -> None:
    """Register organisation `n` and its resource `code`, and certify it by Art.17; committed."""
    org = organisations.register_organisation(
        session=session,
        actor=APPLICANT,
        now=NOW,
        data=org_input(
            n, city=city, name=f"{city}测试科技有限公司{n}", uscc=uscc(n, city_division)
        ),
        store=store,
        licence=upload("licence.pdf"),
    )
    provider = add_user(session, NOW, f"provider-{n}", Role.PROVIDER, organisation_id=org.id)
    res = resources.create_resource(
        session=session,
        actor=provider,
        now=NOW,
        organisation_id=org.id,
        data=resource_input(code=code, title=title, summary=summary, keywords=keywords),
    )
    for i in range(3):
        resources.add_case(
            session=session, actor=provider, now=NOW, resource_id=res.id, data=case_input(i + 1)
        )
    for data, resource_id, name in ((PATENT, res.id, "patent.pdf"), (AUDIT, None, "audit.pdf")):
        add_evidence(
            session=session,
            actor=provider,
            now=NOW,
            store=store,
            organisation_id=org.id,
            resource_id=resource_id,
            data=data,
            upload=upload(name),
        )
    app = submissions.start_application(
        session=session,
        actor=provider,
        now=NOW,
        resource_id=res.id,
        batch_code="2025Q4",
        route=Route.DIRECT_ENTRY,
    )
    app.platform_name, app.platform_document = "广东省制造业创新中心", "粤工信创新函〔2024〕12号"
    app.platform_certified_on, app.platform_valid_until = date(2024, 6, 1), date(2027, 5, 31)
    session.flush()
    submissions.submit_application(
        session=session, actor=provider, now=NOW, application_id=app.id, commitment_signed=True
    )
    session.commit()
    publicity.verify_direct_entry(session=session, actor=staff, now=NOW, application_id=app.id)
    session.commit()


def set_state(
    session: Session, code: str, status: LibraryStatus, kind: LibraryEventKind, now: datetime
) -> None:
    """Change an entry's library state and append its outbox event in one transaction.

    Stands in for the staff services of warnings, removals and withdrawals (issue 7), which
    do exactly this through `registry.library.record_event`.
    """
    entry = session.scalar(select(LibraryEntry).join(Resource).where(Resource.code == code))
    assert entry is not None
    entry.status, entry.updated_at = status, now
    record_event(session, resource_code=code, kind=kind, now=now)
    session.commit()


def set_state_elsewhere(
    engine: Engine, code: str, status: LibraryStatus, kind: LibraryEventKind, now: datetime
) -> None:
    """The same change written with plain SQL, as another process would: no listener hears it."""
    with engine.begin() as conn:
        resource_id = conn.scalar(select(Resource.id).where(Resource.code == code))
        conn.execute(
            update(LibraryEntry)
            .where(LibraryEntry.resource_id == resource_id)
            .values(status=status, updated_at=now)
        )
        conn.execute(
            insert(LibraryEventRecord).values(resource_code=code, kind=kind, created_at=now)
        )
