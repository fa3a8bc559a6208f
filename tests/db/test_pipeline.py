"""The certification pipeline end to end on each backend: every route, history and audit per
transition, deadlines in working days, the library entry and its outbox event."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from registry import library
from registry.enums import ApplicationStatus as S
from registry.enums import LibraryEventKind, MunicipalDecision, PanelDecision, Role
from registry.errors import PermissionDenied
from registry.inputs import DirectEntryInput, ScoreInput
from registry.models import ApplicationHistory, AuditEntry, LibraryEntry, Notification
from registry.reference import OrgType
from registry.seed_schema import Route
from registry.services import access, experts, municipal, publicity, submissions
from registry.storage import FileStore
from tests.db.factories import (
    SH,
    World,
    add_provider_resource,
    application,
    at,
    build_world,
    org_input,
    uscc,
)

SCORES = ScoreInput(advancement=86, maturity=82, application_effect=80, promotion_value=88)


def end_of_day(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 23, 59, 59, tzinfo=SH)


def submit(session: Session, w: World, app_id: int, now: datetime) -> None:
    submissions.submit_application(
        session=session, actor=w.provider, now=now, application_id=app_id, commitment_signed=True
    )
    session.commit()


def review_by_experts(session: Session, w: World, app_id: int, decision: PanelDecision) -> None:
    experts.assign_experts(
        session=session,
        actor=w.staff,
        now=at(2025, 11, 10),
        application_id=app_id,
        expert_ids=[e.expert_id for e in w.experts if e.expert_id is not None],
    )
    for expert in w.experts:
        experts.submit_score(
            session=session,
            actor=expert,
            now=at(2025, 11, 11),
            application_id=app_id,
            scores=SCORES,
        )
    experts.report_panel(
        session=session,
        actor=w.staff,
        now=at(2025, 11, 12, 16),
        application_id=app_id,
        decision=decision,
        summary="专家组意见",
    )
    session.commit()


def history(session: Session, app_id: int) -> list[tuple[str | None, str, str]]:
    rows = session.scalars(
        select(ApplicationHistory)
        .where(ApplicationHistory.application_id == app_id)
        .order_by(ApplicationHistory.id)
    )
    return [(r.from_status and r.from_status.value, r.to_status.value, r.event) for r in rows]


def transition_audit(session: Session, app_id: int) -> list[str]:
    rows = session.scalars(
        select(AuditEntry)
        .where(
            AuditEntry.object_type == "application",
            AuditEntry.object_id == str(app_id),
            AuditEntry.action.in_(
                [
                    f"application.{e}"
                    for e in (
                        "submit",
                        "forward_to_city",
                        "forward_to_province",
                        "recommend",
                        "propose",
                        "start_publicity",
                        "certify",
                        "reject",
                        "return_for_completion",
                        "resubmit",
                        "verify_platform",
                        "uphold_objection",
                        "void",
                    )
                ]
            ),
        )
        .order_by(AuditEntry.id)
    )
    return [r.action.removeprefix("application.") for r in rows]


def test_municipal_route_from_draft_to_certified(
    db_session: Session, file_store: FileStore
) -> None:
    s = db_session
    w = build_world(s, file_store)
    heard: list[list[library.LibraryEvent]] = []
    library.add_listener(heard.append)
    try:
        submit(s, w, w.application_id, at(2025, 11, 3))  # a Monday
        app = application(s, w.application_id)
        assert app.status is S.MUNICIPAL_REVIEW
        assert app.municipal_due_at == end_of_day(2025, 11, 17)  # 10 working days later
        municipal.municipal_decide(
            session=s,
            actor=w.reviewer,
            now=at(2025, 11, 6, 15),
            application_id=app.id,
            decision=MunicipalDecision.RECOMMEND,
            reasons="材料齐全，同意推荐",
        )
        s.commit()
        app = application(s, w.application_id)
        assert app.status is S.EXPERT_REVIEW
        assert app.expert_due_at == end_of_day(2025, 11, 13)  # 5 working days after receipt
        review_by_experts(s, w, app.id, PanelDecision.PROPOSE)
        publicity.start_publicity(
            session=s, actor=w.staff, now=at(2025, 11, 13), application_id=app.id
        )
        s.commit()
        app = application(s, w.application_id)
        assert app.publicity_due_at == end_of_day(2025, 11, 20)
        entry = publicity.certify(
            session=s, actor=w.staff, now=at(2025, 11, 21, 10), application_id=app.id
        )
        assert heard == []  # listeners hear of it only after commit
        s.commit()
    finally:
        library.remove_listener(heard.append)
    assert [e.kind for batch in heard for e in batch] == [LibraryEventKind.CERTIFIED]
    assert entry.status.value == "certified"
    assert history(s, w.application_id) == [
        ("draft", "submitted", "submit"),
        ("submitted", "municipal_review", "forward_to_city"),
        ("municipal_review", "recommended", "recommend"),
        ("recommended", "expert_review", "forward_to_province"),
        ("expert_review", "proposed", "propose"),
        ("proposed", "publicity", "start_publicity"),
        ("publicity", "certified", "certify"),
    ]
    assert transition_audit(s, w.application_id) == [h[2] for h in history(s, w.application_id)]
    views = library.entries(session=s)
    assert [v.resource_code for v in views] == ["AI-001"]
    assert len(views[0].cases) == 3 and views[0].certified_on == date(2025, 11, 21)
    events = library.events_after(session=s, after_id=0)
    assert [(e.resource_code, e.kind) for e in events] == [("AI-001", LibraryEventKind.CERTIFIED)]
    assert library.events_after(session=s, after_id=events[-1].id) == []
    kinds = s.scalars(select(Notification.kind).order_by(Notification.id)).all()
    assert [k.value for k in kinds] == ["status_changed", "certified"]  # publicity, certified


def test_every_transition_writes_one_history_and_one_audit_row(
    db_session: Session, file_store: FileStore
) -> None:
    s = db_session
    w = build_world(s, file_store)
    submit(s, w, w.application_id, at(2025, 11, 3))
    municipal.municipal_decide(
        session=s,
        actor=w.reviewer,
        now=at(2025, 11, 4),
        application_id=w.application_id,
        decision=MunicipalDecision.REJECT,
        reasons="赋能案例与申报方向不符",
    )
    s.commit()
    rows = s.scalars(select(ApplicationHistory).order_by(ApplicationHistory.id)).all()
    audits = s.scalars(
        select(AuditEntry).where(AuditEntry.action.like("application.%")).order_by(AuditEntry.id)
    ).all()
    transitions = [a for a in audits if a.action != "application.create"]
    assert len(rows) == len(transitions) == 3
    for row, audit in zip(rows, transitions, strict=True):
        assert audit.action == f"application.{row.event}"
        assert audit.before is not None and audit.after is not None
        assert audit.before["status"] == (row.from_status and row.from_status.value)
        assert audit.after["status"] == row.to_status.value
        assert audit.after["version"] == audit.before["version"] + 1
        assert audit.at == row.at
    last = rows[-1]
    assert (last.to_status, last.actor_role, last.note) == (
        S.REJECTED,
        Role.MUNICIPAL_REVIEWER,
        "赋能案例与申报方向不符",
    )
    assert application(s, w.application_id).decided_at == at(2025, 11, 4)


def test_return_for_completion_and_resubmission(db_session: Session, file_store: FileStore) -> None:
    s = db_session
    w = build_world(s, file_store)
    submit(s, w, w.application_id, at(2025, 11, 3))
    municipal.municipal_decide(
        session=s,
        actor=w.reviewer,
        now=at(2025, 11, 5),
        application_id=w.application_id,
        decision=MunicipalDecision.RETURN,
        reasons="请补充第三个案例的用户反馈",
    )
    s.commit()
    assert application(s, w.application_id).status is S.RETURNED
    # Resubmitted after the batch deadline: Art.11 counts from the first submission.
    submissions.resubmit_application(
        session=s, actor=w.provider, now=at(2025, 12, 1), application_id=w.application_id
    )
    s.commit()
    app = application(s, w.application_id)
    assert app.status is S.MUNICIPAL_REVIEW
    assert app.submitted_at == at(2025, 11, 3)
    assert app.received_at == at(2025, 12, 1)
    assert app.municipal_due_at == end_of_day(2025, 12, 15)  # a new 10-working-day clock
    assert [h[2] for h in history(s, app.id)][-3:] == [
        "return_for_completion",
        "resubmit",
        "forward_to_city",
    ]


def test_art16_provincial_direct_skips_the_city(db_session: Session, file_store: FileStore) -> None:
    s = db_session
    w = build_world(s, file_store)
    outside = org_input(
        2, uscc=uscc(2, "430100"), name="湖南某工业软件有限公司", city="省外", province="湖南省"
    )
    provider, _, _, app_id = add_provider_resource(
        s, file_store, at(2025, 10, 20), n=2, org=outside, route=Route.PROVINCIAL_DIRECT
    )
    s.commit()
    submissions.submit_application(
        session=s,
        actor=provider,
        now=at(2025, 11, 3),
        application_id=app_id,
        commitment_signed=True,
    )
    s.commit()
    app = application(s, app_id)
    assert app.status is S.EXPERT_REVIEW
    assert app.municipal_due_at is None
    assert app.expert_due_at == end_of_day(2025, 11, 10)
    assert [h[2] for h in history(s, app_id)] == ["submit", "forward_to_province"]
    with pytest.raises(PermissionDenied) as info:  # no city reviews it
        access.get_application(session=s, actor=w.reviewer, application_id=app_id)
    assert info.value.code == "not_municipal_route"
    assert access.visible_applications(session=s, actor=w.reviewer) == []


def test_art16_provincial_soe_in_guangdong(db_session: Session, file_store: FileStore) -> None:
    s = db_session
    w = build_world(s, file_store)
    soe = org_input(3, org_type=OrgType.PROVINCIAL_SOE, name="广东某省属装备集团")
    provider, _, _, app_id = add_provider_resource(
        s, file_store, at(2025, 10, 20), n=3, org=soe, route=Route.PROVINCIAL_DIRECT
    )
    s.commit()
    submissions.submit_application(
        session=s,
        actor=provider,
        now=at(2025, 11, 3),
        application_id=app_id,
        commitment_signed=True,
    )
    s.commit()
    assert application(s, app_id).status is S.EXPERT_REVIEW
    review_by_experts(s, w, app_id, PanelDecision.REJECT)
    assert application(s, app_id).status is S.REJECTED


def test_art17_direct_entry(db_session: Session, file_store: FileStore) -> None:
    s = db_session
    w = build_world(s, file_store)
    platform = DirectEntryInput(
        platform="广东省制造业创新中心",
        document="粤工信创新函〔2024〕12号",
        certified_on=date(2024, 6, 1),
        valid_until=date(2027, 5, 31),
    )
    provider, _, res_id, _ = add_provider_resource(
        s, file_store, at(2025, 10, 20), n=4, route=Route.DIRECT_ENTRY
    )
    app_id = _with_platform(s, provider, res_id, platform)
    submissions.submit_application(
        session=s,
        actor=provider,
        now=at(2025, 11, 3),
        application_id=app_id,
        commitment_signed=True,
    )
    s.commit()
    assert application(s, app_id).status is S.SUBMITTED
    publicity.verify_direct_entry(
        session=s, actor=w.staff, now=at(2025, 11, 5), application_id=app_id
    )
    s.commit()
    assert application(s, app_id).status is S.CERTIFIED
    assert [h[2] for h in history(s, app_id)] == ["submit", "verify_platform"]
    assert s.scalar(select(func.count()).select_from(LibraryEntry)) == 1


def _with_platform(s: Session, provider: object, res_id: int, platform: DirectEntryInput) -> int:
    from registry.models import Application

    app = s.scalar(select(Application).where(Application.resource_id == res_id))
    assert app is not None
    app.platform_name, app.platform_document = platform.platform, platform.document
    app.platform_certified_on, app.platform_valid_until = (
        platform.certified_on,
        platform.valid_until,
    )
    s.commit()
    return app.id


def _to_publicity(s: Session, w: World) -> int:
    submit(s, w, w.application_id, at(2025, 11, 3))
    municipal.municipal_decide(
        session=s,
        actor=w.reviewer,
        now=at(2025, 11, 6),
        application_id=w.application_id,
        decision=MunicipalDecision.RECOMMEND,
        reasons="同意推荐",
    )
    s.commit()
    review_by_experts(s, w, w.application_id, PanelDecision.PROPOSE)
    publicity.start_publicity(
        session=s, actor=w.staff, now=at(2025, 11, 13), application_id=w.application_id
    )
    s.commit()
    return w.application_id


@pytest.mark.parametrize("upheld", [True, False])
def test_objection_decided(db_session: Session, file_store: FileStore, upheld: bool) -> None:
    s = db_session
    w = build_world(s, file_store)
    app_id = _to_publicity(s, w)
    objection = publicity.raise_objection(
        session=s,
        actor=w.staff,
        now=at(2025, 11, 17),
        application_id=app_id,
        raised_by="某竞争企业",
        content="案例 2 的客户未实际使用该系统",
    )
    s.commit()
    publicity.decide_objection(
        session=s,
        actor=w.staff,
        now=at(2025, 11, 20),
        objection_id=objection.id,
        upheld=upheld,
        reason="经核查属实" if upheld else "经核查，客户确认使用",
    )
    s.commit()
    if upheld:
        assert application(s, app_id).status is S.REJECTED
        assert library.entries(session=s) == []
        return
    assert application(s, app_id).status is S.PUBLICITY
    publicity.certify(session=s, actor=w.staff, now=at(2025, 11, 21), application_id=app_id)
    s.commit()
    assert application(s, app_id).status is S.CERTIFIED
