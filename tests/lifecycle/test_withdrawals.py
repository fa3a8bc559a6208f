"""Art.19(3) voluntary withdrawal on each backend: requested by the provider, forwarded by its
own city only, approved by the province (the entry leaves search) or refused; scopes enforced."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from registry import library
from registry.errors import Conflict, InvalidInput, NotFound, PermissionDenied, TransitionNotAllowed
from registry.models.monitoring import WithdrawalStatus as W
from registry.services import withdrawals
from tests.db.factories import at, row_counts
from tests.lifecycle.world import World, audit_actions, outbox

pytestmark = pytest.mark.postgres


def request(s: Session, w: World, code: str = "AI-001", n: int = 1) -> int:
    made = withdrawals.request_withdrawal(
        session=s,
        actor=w.providers[n].actor,
        now=at(2025, 12, 1),
        resource_code=code,
        reason="公司战略调整，该产品停止对外服务",
    )
    s.commit()
    return made.id


def test_requested_forwarded_approved(world: World, db_session: Session) -> None:
    s = db_session
    world.certify("AI-001", n=1)
    request_id = request(s, world)
    withdrawals.forward_withdrawal(
        session=s,
        actor=world.dg_reviewer,
        now=at(2025, 12, 3),
        request_id=request_id,
        opinion="情况属实，同意转报",
    )
    s.commit()
    approved = withdrawals.approve_withdrawal(
        session=s, actor=world.staff, now=at(2025, 12, 8), request_id=request_id, note="同意退出"
    )
    s.commit()
    assert approved.status is W.APPROVED
    s.expire_all()
    assert library.entries(session=s) == []  # gone from the read model the index uses
    assert outbox(s)[-1] == ("AI-001", "withdrawn")
    assert audit_actions(s, "withdrawal.") == [
        "withdrawal.request",
        "withdrawal.forward",
        "withdrawal.approve",
    ]
    assert audit_actions(s, "library.") == ["library.withdraw"]


def test_only_the_providers_own_city_forwards(world: World, db_session: Session) -> None:
    s = db_session
    world.certify("AI-001", n=1)  # a 东莞 provider
    request_id = request(s, world)
    before = row_counts(s)
    with pytest.raises(PermissionDenied) as refused:
        withdrawals.forward_withdrawal(
            session=s,
            actor=world.gz_reviewer,
            now=at(2025, 12, 3),
            request_id=request_id,
            opinion="越权转报",
        )
    s.rollback()
    assert (refused.value.code, refused.value.article) == ("wrong_city", "Art.19(3)")
    assert row_counts(s) == before
    assert withdrawals.withdrawal_requests(session=s, actor=world.gz_reviewer) == []
    assert [r.id for r in withdrawals.withdrawal_requests(session=s, actor=world.dg_reviewer)] == [
        request_id
    ]


def test_refusals_and_order(world: World, db_session: Session) -> None:
    s = db_session
    world.certify("AI-001", n=1)
    world.certify("AI-002", n=2)
    request_id = request(s, world)
    before = row_counts(s)
    attempts = [
        (Conflict, "withdrawal_pending", lambda: request(s, world)),
        (PermissionDenied, "not_own_organisation", lambda: withdrawals.request_withdrawal(
            session=s, actor=world.providers[2].actor, now=at(2025, 12, 1),
            resource_code="AI-001", reason="不是我的")),
        (InvalidInput, "reasons_required", lambda: withdrawals.request_withdrawal(
            session=s, actor=world.providers[2].actor, now=at(2025, 12, 1),
            resource_code="AI-002", reason=" ")),
        (TransitionNotAllowed, "transition_not_allowed", lambda: withdrawals.approve_withdrawal(
            session=s, actor=world.staff, now=at(2025, 12, 2), request_id=request_id,
            note="未经地市转报")),
        (PermissionDenied, "role_not_allowed", lambda: withdrawals.approve_withdrawal(
            session=s, actor=world.dg_reviewer, now=at(2025, 12, 2), request_id=request_id,
            note="地市无权审核")),
        (NotFound, "withdrawal_not_found", lambda: withdrawals.get_withdrawal(
            session=s, actor=world.staff, request_id=999)),
        (NotFound, "entry_not_found", lambda: request(s, world, code="NOPE-9")),
    ]  # fmt: skip
    for error, code, attempt in attempts:
        with pytest.raises(error) as refused:
            attempt()
        s.rollback()
        assert refused.value.code == code  # type: ignore[attr-defined]
        assert row_counts(s) == before


def test_refused_and_cancelled(world: World, db_session: Session) -> None:
    s = db_session
    world.certify("AI-001", n=1)
    first = request(s, world)
    withdrawals.forward_withdrawal(
        session=s, actor=world.dg_reviewer, now=at(2025, 12, 3), request_id=first, opinion="转报"
    )
    withdrawals.refuse_withdrawal(
        session=s,
        actor=world.staff,
        now=at(2025, 12, 5),
        request_id=first,
        note="该资源正在专项评价中，暂不同意退出",
    )
    s.commit()
    s.expire_all()
    assert [v.resource_code for v in library.entries(session=s)] == ["AI-001"]
    second = request(s, world)
    cancelled = withdrawals.cancel_withdrawal(
        session=s, actor=world.providers[1].actor, now=at(2025, 12, 6), request_id=second
    )
    s.commit()
    assert cancelled.status is W.CANCELLED
    assert outbox(s)[-1] == ("AI-001", "certified")  # nothing reached the index


def test_a_provider_outside_guangdong_goes_straight_to_the_province(
    world: World, db_session: Session
) -> None:
    s = db_session
    world.certify("AI-001", n=1, city="省外")
    request_id = request(s, world)
    made = withdrawals.get_withdrawal(session=s, actor=world.staff, request_id=request_id)
    assert made.status is W.FORWARDED and made.city == "省外"
    withdrawals.approve_withdrawal(
        session=s, actor=world.staff, now=at(2025, 12, 2), request_id=request_id, note="同意"
    )
    s.commit()
    assert outbox(s)[-1] == ("AI-001", "withdrawn")
