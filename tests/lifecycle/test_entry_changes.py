"""资源信息变更申请 on each backend: the provider proposes new texts and cases for its entry, the
province approves (the resource changes, cases are added, one `updated` outbox row, audit and
notice) or rejects with a reason (nothing changes); refusals leave no row behind; two staff
deciding at once yield one decision and one Conflict (PostgreSQL)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from registry import library
from registry.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    PermissionDenied,
    RuleViolation,
    TransitionNotAllowed,
)
from registry.models import Notification
from registry.models.changes import EntryChangeStatus as S
from registry.models.monitoring import RemovalGround
from registry.services import entry_changes, removals, withdrawals
from registry.services.entry_changes import EntryChangeInput
from registry.services.library_admin import change_entry_status, entry_by_code
from registry.workflow import EntryEvent
from tests.db.factories import at, case_input, row_counts
from tests.lifecycle.world import World, audit_actions, outbox

pytestmark = pytest.mark.postgres
NEW_SUMMARY = "基于深度学习的表面缺陷检测，新增锂电池极片涂布缺陷在线检测能力"


def propose(s: Session, w: World, code: str = "AI-001", n: int = 1, **changes: Any) -> int:
    data = EntryChangeInput(explanation="2025 年技术更新迭代", **changes)
    made = entry_changes.propose_change(
        session=s, actor=w.providers[n].actor, now=at(2025, 12, 1), resource_code=code, data=data
    )
    s.commit()
    return made.id


def notices(s: Session) -> list[str]:
    return list(s.scalars(select(Notification.message).order_by(Notification.id)))


def test_proposed_then_approved_changes_the_entry(world: World, db_session: Session) -> None:
    s = db_session
    world.certify("AI-001", n=1)
    change_id = propose(
        s, world, summary=NEW_SUMMARY, indicators="检出率 99.8%", new_cases=(case_input(7),)
    )
    s.expire_all()
    assert library.entries(session=s)[0].summary == "基于深度学习的表面缺陷检测"  # not yet
    approved = entry_changes.approve_change(
        session=s, actor=world.staff, now=at(2025, 12, 3), change_id=change_id, note="同意"
    )
    s.commit()
    assert approved.status is S.APPROVED and approved.pending_entry_id is None
    s.expire_all()
    view = library.entries(session=s)[0]
    assert (view.summary, view.indicators) == (NEW_SUMMARY, "检出率 99.8%")
    assert view.advantages == "检出率高、部署快"  # untouched
    assert [c.title for c in view.cases][-1] == "某电子厂外观检测改造7" and len(view.cases) == 4
    assert outbox(s)[-1] == ("AI-001", "updated")
    assert audit_actions(s, "entry_change.") == ["entry_change.propose", "entry_change.approve"]
    assert "信息变更申请已获同意" in notices(s)[-1]


def test_rejected_changes_nothing_but_the_request(world: World, db_session: Session) -> None:
    s = db_session
    world.certify("AI-001", n=1)
    change_id = propose(s, world, summary=NEW_SUMMARY)
    rejected = entry_changes.reject_change(
        session=s, actor=world.staff, now=at(2025, 12, 3), change_id=change_id,
        reason="新增能力缺少检测报告佐证",
    )  # fmt: skip
    s.commit()
    assert (rejected.status, rejected.decision_reason) == (S.REJECTED, "新增能力缺少检测报告佐证")
    s.expire_all()
    assert library.entries(session=s)[0].summary == "基于深度学习的表面缺陷检测"
    assert outbox(s)[-1] == ("AI-001", "certified")
    assert "理由：新增能力缺少检测报告佐证" in notices(s)[-1]
    assert propose(s, world, summary=NEW_SUMMARY) != change_id  # a new one may follow


def test_withdrawn_by_the_provider_and_warned_entries_may_change(
    world: World, db_session: Session
) -> None:
    s = db_session
    world.certify("AI-001", n=1)
    change_entry_status(session=s, actor=world.staff, now=at(2025, 11, 20),
                        entry=entry_by_code(session=s, resource_code="AI-001"),
                        event=EntryEvent.WARN, note="技术落后")  # fmt: skip
    s.commit()
    change_id = propose(s, world, scenarios="新能源电池、光伏组件外观检测")
    withdrawn = entry_changes.withdraw_change(
        session=s, actor=world.providers[1].actor, now=at(2025, 12, 2), change_id=change_id
    )
    s.commit()
    assert withdrawn.status is S.WITHDRAWN and withdrawn.decided_by_user_id is None
    listed = entry_changes.entry_changes(session=s, actor=world.staff, status=S.WITHDRAWN)
    assert [c.id for c in listed] == [change_id]


def test_refusals_write_nothing(world: World, db_session: Session) -> None:
    s = db_session
    world.certify("AI-001", n=1)
    world.certify("AI-002", n=2)
    change_id = propose(s, world, summary=NEW_SUMMARY)
    p1, p2 = world.providers[1].actor, world.providers[2].actor
    now = at(2025, 12, 2)

    def attempt(actor: Any = p2, code: str = "AI-002", **values: Any) -> object:
        data = EntryChangeInput(**({"explanation": "更新"} | values))
        return entry_changes.propose_change(
            session=s, actor=actor, now=now, resource_code=code, data=data
        )

    before = row_counts(s)
    attempts = [
        (Conflict, "entry_change_pending", None, lambda: attempt(p1, "AI-001", advantages="新")),
        (PermissionDenied, "not_own_organisation", None, lambda: attempt(p2, "AI-001",
                                                                         summary="新")),
        (PermissionDenied, "role_not_allowed", None, lambda: attempt(world.staff, summary="新")),
        (InvalidInput, "field_unchanged", ("summary",),
         lambda: attempt(summary=" 基于深度学习的表面缺陷检测 ")),
        (InvalidInput, "field_required", ("advantages",), lambda: attempt(advantages="  ")),
        (InvalidInput, "change_empty", ("summary",), attempt),
        (InvalidInput, "explanation_required", ("explanation",),
         lambda: attempt(explanation=" ", summary="新")),
        (InvalidInput, "art9.industry_invalid", ("new_cases", 0, "client_industry"),
         lambda: attempt(new_cases=(case_input(1, client_industry="X99"),))),
        (NotFound, "entry_not_found", None, lambda: attempt(code="NOPE-9", summary="新")),
        (InvalidInput, "reasons_required", ("reason",), lambda: entry_changes.reject_change(
            session=s, actor=world.staff, now=now, change_id=change_id, reason=" ")),
        (PermissionDenied, "role_not_allowed", None, lambda: entry_changes.approve_change(
            session=s, actor=p1, now=now, change_id=change_id)),
        (PermissionDenied, "not_own_organisation", None, lambda: entry_changes.withdraw_change(
            session=s, actor=p2, now=now, change_id=change_id)),
        (NotFound, "entry_change_not_found", None, lambda: entry_changes.get_change(
            session=s, actor=world.staff, change_id=999)),
        (Conflict, "entry_change_changed", None, lambda: entry_changes.approve_change(
            session=s, actor=world.staff, now=now, change_id=change_id, expected_version=9)),
    ]  # fmt: skip
    for error, code, loc, call in attempts:
        with pytest.raises(error) as refused:
            call()
        s.rollback()
        assert refused.value.code == code  # type: ignore[attr-defined]
        if loc is not None:
            assert refused.value.loc == loc  # type: ignore[attr-defined]
        assert row_counts(s) == before


def test_new_cases_meet_art12_on_the_day_proposed(world: World, db_session: Session) -> None:
    s = db_session
    world.certify("AI-001", n=1)
    now = at(2025, 12, 2)  # the year before it starts on 2024-12-02 (boundary day included)

    def attempt(*cases: Any) -> object:
        data = EntryChangeInput(explanation="新增案例", new_cases=cases)
        return entry_changes.propose_change(session=s, actor=world.providers[1].actor, now=now,
                                            resource_code="AI-001", data=data)  # fmt: skip

    stale = case_input(1, feedback_on=date(2024, 12, 1), completed_on=date(2024, 11, 1))
    future = case_input(2, completed_on=date(2025, 12, 3), feedback_on=date(2025, 12, 10))
    before = row_counts(s)
    with pytest.raises(RuleViolation) as refused:
        attempt(case_input(0), stale, future)
    s.rollback()
    found = [(f.code, f.article, f.loc) for f in refused.value.findings]
    assert found == [
        ("art12.feedback_too_old", "Art.12(4)", ("new_cases", 1)),
        ("art12.date_after_submission", "Art.12", ("new_cases", 2)),
    ]
    assert "新增案例 2《某电子厂外观检测改造1》" in refused.value.findings[0].message
    assert "变更申请日" in refused.value.findings[1].message
    assert row_counts(s) == before
    boundary = case_input(3, feedback_on=date(2024, 12, 2), completed_on=date(2024, 11, 1))
    attempt(boundary)
    s.commit()
    assert entry_changes.entry_changes(session=s, actor=world.staff)[0].new_cases[0]["title"] == (
        "某电子厂外观检测改造3"
    )


def test_only_entries_in_the_library_change(world: World, db_session: Session) -> None:
    s = db_session
    world.certify("AI-001", n=1)
    change_id = propose(s, world, summary=NEW_SUMMARY)
    change_entry_status(session=s, actor=world.staff, now=at(2025, 12, 2),
                        entry=entry_by_code(session=s, resource_code="AI-001"),
                        event=EntryEvent.REMOVE, note="严重失信")  # fmt: skip
    s.commit()
    before = row_counts(s)
    for call in (
        lambda: entry_changes.approve_change(
            session=s, actor=world.staff, now=at(2025, 12, 3), change_id=change_id
        ),
        lambda: propose(s, world, advantages="新的优势"),
    ):
        with pytest.raises(TransitionNotAllowed) as refused:
            call()
        s.rollback()
        assert (refused.value.code, refused.value.state) == ("entry_not_changeable", "removed")
        assert row_counts(s) == before
    entry_changes.reject_change(session=s, actor=world.staff, now=at(2025, 12, 3),
                                change_id=change_id, reason="资源已移出")  # fmt: skip
    s.commit()
    with pytest.raises(TransitionNotAllowed) as again:
        entry_changes.reject_change(session=s, actor=world.staff, now=at(2025, 12, 4),
                                    change_id=change_id, reason="再次")  # fmt: skip
    assert again.value.code == "transition_not_allowed"


def test_a_pending_change_lapses_when_the_entry_leaves(world: World, db_session: Session) -> None:
    s = db_session
    world.certify("AI-001", n=1)
    world.certify("AI-002", n=2)
    removed_id = propose(s, world, summary=NEW_SUMMARY)
    withdrawn_id = propose(s, world, code="AI-002", n=2, advantages="新增多光谱成像")
    removals.remove_organisation(
        session=s, actor=world.staff, now=at(2025, 12, 2),
        organisation_id=world.providers[1].organisation_id,
        ground=RemovalGround.MAJOR_ACCIDENT, reason="重大安全事故",
    )  # fmt: skip
    request = withdrawals.request_withdrawal(
        session=s, actor=world.providers[2].actor, now=at(2025, 12, 2), resource_code="AI-002",
        reason="产品停止对外服务",
    )  # fmt: skip
    withdrawals.forward_withdrawal(session=s, actor=world.dg_reviewer, now=at(2025, 12, 3),
                                   request_id=request.id, opinion="同意转报")  # fmt: skip
    withdrawals.approve_withdrawal(session=s, actor=world.staff, now=at(2025, 12, 4),
                                   request_id=request.id, note="同意退出")  # fmt: skip
    s.commit()
    s.expire_all()
    for change_id in (removed_id, withdrawn_id):
        change = entry_changes.get_change(session=s, actor=world.staff, change_id=change_id)
        assert (change.status, change.pending_entry_id) == (S.LAPSED, None)
        assert change.decided_at is not None and change.decision_reason
        assert entry_changes.LABELS[change.status] == "资源已移出，申请终止"
    removed = entry_changes.get_change(session=s, actor=world.staff, change_id=removed_id)
    assert "重大安全事故" in (removed.decision_reason or "")
    assert audit_actions(s, "entry_change.") == [
        "entry_change.propose", "entry_change.propose",
        "entry_change.lapse", "entry_change.lapse",
    ]  # fmt: skip
    with pytest.raises(TransitionNotAllowed):  # a lapsed change is decided for good
        entry_changes.reject_change(session=s, actor=world.staff, now=at(2025, 12, 5),
                                    change_id=removed_id, reason="已移出")  # fmt: skip


def _decide(
    sessions: sessionmaker[Session],
    w: World,
    change_id: int,
    approve: bool,
    gate: threading.Barrier,
) -> str:
    with sessions() as session:
        change = entry_changes.get_change(session=session, actor=w.staff, change_id=change_id)
        assert change.status is S.PENDING
        gate.wait(timeout=10)  # both have read `pending`
        try:
            if approve:
                entry_changes.approve_change(session=session, actor=w.staff, now=at(2025, 12, 3),
                                             change_id=change_id)  # fmt: skip
            else:
                entry_changes.reject_change(session=session, actor=w.staff, now=at(2025, 12, 3),
                                            change_id=change_id, reason="并发拒绝")  # fmt: skip
            session.commit()
            return "approved" if approve else "rejected"
        except Conflict as exc:
            session.rollback()
            return exc.code


def test_two_staff_deciding_at_once_one_wins(
    world: World, db_sessions: sessionmaker[Session], db_url: str
) -> None:
    if db_url.startswith("sqlite"):
        pytest.skip("SQLite takes the write lock at BEGIN: the two cannot read at once")
    world.certify("AI-001", n=1)
    with db_sessions() as s:
        change_id = propose(s, world, summary=NEW_SUMMARY)
    gate = threading.Barrier(2)
    with ThreadPoolExecutor(2) as pool:
        results = sorted(pool.map(lambda a: _decide(db_sessions, world, change_id, a, gate),
                                  (True, False)))  # fmt: skip
    assert results[0] == "entry_change_changed" and results[1] in ("approved", "rejected")
    with db_sessions() as s:
        assert len(audit_actions(s, "entry_change.")) == 2
        updated = [k for _, k in outbox(s) if k == "updated"]
        assert updated == (["updated"] if results[1] == "approved" else [])
