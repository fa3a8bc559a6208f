"""Certifying resources through the registry's services (Art.17 direct entry, the shortest
route into the library), and changing an entry's library state, for the freshness tests."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from registry.actor import Actor
from registry.enums import LibraryEventKind, LibraryStatus, Role
from registry.models.library import LibraryEntry, LibraryEventRecord
from registry.models.monitoring import WarningReason
from registry.models.resources import Resource
from registry.seed_schema import Route
from registry.services import (
    organisations,
    publicity,
    resources,
    submissions,
    warnings,
    withdrawals,
)
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
) -> Actor:
    """Register organisation `n` and its resource `code`, certify it by Art.17 (committed);
    returns the provider's actor."""
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
    return provider


def warn(session: Session, staff: Actor, code: str, now: datetime) -> int:
    """Warn an entry (Art.19(1)) through the service; committed; the warning's id."""
    warning = warnings.warn_entry(
        session=session,
        actor=staff,
        now=now,
        resource_code=code,
        reasons=[WarningReason.POOR_FEEDBACK],
        detail="多家用户反馈交付质量下降",
    )
    session.commit()
    return warning.id


def remove_after_warning(session: Session, staff: Actor, warning_id: int, now: datetime) -> None:
    """Art.19(1): no rectification by the deadline, the entry leaves the library; committed."""
    warnings.remove_after_warning(
        session=session, actor=staff, now=now, warning_id=warning_id, note="逾期未整改，移出资源库"
    )
    session.commit()


def withdraw(
    session: Session, *, provider: Actor, reviewer: Actor, staff: Actor, code: str, now: datetime
) -> None:
    """Art.19(3): the provider asks, its city forwards, the province approves; committed."""
    request = withdrawals.request_withdrawal(
        session=session, actor=provider, now=now, resource_code=code, reason="产品线调整"
    )
    session.commit()
    withdrawals.forward_withdrawal(
        session=session, actor=reviewer, now=now, request_id=request.id, opinion="同意"
    )
    session.commit()
    withdrawals.approve_withdrawal(
        session=session, actor=staff, now=now, request_id=request.id, note="同意退出"
    )
    session.commit()


def set_state_elsewhere(
    engine: Engine, code: str, status: LibraryStatus, kind: LibraryEventKind, now: datetime
) -> None:
    """A state change written with plain SQL, as another process would: no listener hears it."""
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
