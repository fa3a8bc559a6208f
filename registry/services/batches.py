"""Quarterly batches (Art.10): the province opens one per quarter with a deadline."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.actor import Actor, require_role
from registry.audit import record, snapshot
from registry.enums import Role
from registry.errors import Conflict, InvalidInput
from registry.models.applications import Batch

_FIELDS = ("code", "title", "opens_on", "deadline_on")


def create_batch(
    *,
    session: Session,
    actor: Actor,
    now: datetime,
    code: str,
    title: str,
    opens_on: date,
    deadline_on: date,
) -> Batch:
    """Open a quarterly batch accepting applications from `opens_on` to `deadline_on`."""
    require_role(actor, Role.PROVINCIAL_STAFF, Role.ADMIN, article="Art.10")
    if deadline_on < opens_on:
        raise InvalidInput(
            "截止日期不能早于开始日期",
            code="batch_dates_order",
            article="Art.10",
            loc=("deadline_on",),
        )
    if session.scalar(select(Batch.id).where(Batch.code == code)) is not None:
        raise Conflict(f"批次已存在：{code}", code="batch_exists", loc=("code",))
    batch = Batch(
        code=code, title=title, opens_on=opens_on, deadline_on=deadline_on, created_at=now
    )
    session.add(batch)
    session.flush()
    record(
        session,
        actor=actor,
        now=now,
        action="batch.create",
        object_type="batch",
        object_id=batch.id,
        after=snapshot(batch, _FIELDS),
    )
    return batch


def find_batch(*, session: Session, code: str) -> Batch | None:
    """The batch with `code`, if any."""
    return session.scalar(select(Batch).where(Batch.code == code))
