"""Two reviewers decide the same application at once: one transition, one Conflict, and exactly
one history row and one audit row for the decision."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from registry.actor import Actor
from registry.enums import ApplicationStatus as S
from registry.enums import MunicipalDecision, Role
from registry.errors import Conflict
from registry.models import ApplicationHistory, AuditEntry, MunicipalReview
from registry.services import municipal, submissions
from registry.storage import FileStore
from tests.db.factories import add_user, application, at, build_world

DECISIONS = (MunicipalDecision.RECOMMEND, MunicipalDecision.REJECT)


def _hold_first_flush(session: Session, barrier: threading.Barrier) -> None:
    """Both sessions have read the application; let them write at the same moment."""
    state = {"waited": False}

    @event.listens_for(session, "before_flush")
    def _wait(*_: Any) -> None:
        if not state["waited"]:
            state["waited"] = True
            barrier.wait(timeout=10)


def _decide(
    sessions: sessionmaker[Session],
    actor: Actor,
    app_id: int,
    version: int,
    decision: MunicipalDecision,
    barrier: threading.Barrier | None,
) -> str:
    with sessions() as session:
        if barrier is not None:
            _hold_first_flush(session, barrier)
        try:
            municipal.municipal_decide(
                session=session,
                actor=actor,
                now=at(2025, 11, 5),
                application_id=app_id,
                decision=decision,
                reasons=f"意见：{decision.value}",
                expected_version=version,
            )
            session.commit()
            return decision.value
        except Conflict as exc:
            session.rollback()
            lost_at_update = isinstance(exc.__cause__, StaleDataError)
            return f"{exc.code}:{'update' if lost_at_update else 'read'}"


def test_two_reviewers_one_transition(
    db_sessions: sessionmaker[Session],
    db_session: Session,
    file_store: FileStore,
    db_url: str,
) -> None:
    s = db_session
    w = build_world(s, file_store)
    second = add_user(s, at(2025, 10, 20), "gz-reviewer-2", Role.MUNICIPAL_REVIEWER, city="广州市")
    submissions.submit_application(
        session=s,
        actor=w.provider,
        now=at(2025, 11, 3),
        application_id=w.application_id,
        commitment_signed=True,
    )
    s.commit()
    version = application(s, w.application_id).version
    s.close()
    # SQLite takes its write lock at BEGIN, so the second reader waits for the first writer and
    # a barrier between read and write would deadlock; PostgreSQL reads concurrently.
    barrier = threading.Barrier(2) if db_url.startswith("postgresql") else None
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = [
            pool.submit(_decide, db_sessions, actor, w.application_id, version, decision, barrier)
            for actor, decision in zip((w.reviewer, second), DECISIONS, strict=True)
        ]
        outcomes = sorted(f.result(timeout=30) for f in futures)
    lost = [o for o in outcomes if o.startswith("application_changed")]
    assert len(lost) == 1, outcomes
    if barrier is not None:  # both read version v; the version-checked UPDATE decided
        assert lost == ["application_changed:update"]
    winner = next(o for o in outcomes if o not in lost)
    with db_sessions() as check:
        app = application(check, w.application_id)
        expected = S.EXPERT_REVIEW if winner == "recommend" else S.REJECTED
        assert app.status is expected
        event_name = "recommend" if winner == "recommend" else "reject"
        assert _count(check, ApplicationHistory, ApplicationHistory.event == event_name) == 1
        decisions = ("recommend", "reject")
        assert _count(check, ApplicationHistory, ApplicationHistory.event.in_(decisions)) == 1
        assert (
            _count(
                check, AuditEntry, AuditEntry.action.in_([f"application.{d}" for d in decisions])
            )
            == 1
        )
        assert _count(check, MunicipalReview, MunicipalReview.application_id == app.id) == 1


def _count(session: Session, model: type[Any], *where: Any) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where)) or 0
