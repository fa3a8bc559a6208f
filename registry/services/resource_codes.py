"""Codes of resources registered through the portal: readable, stable, never reused.

A code reads like the demo library's (`AI-001`): the prefix of the resource's first direction
(Art.5), the year it was registered (Asia/Shanghai) and its number within that prefix and
year, e.g. `AI-2026-0007`. The year keeps portal codes apart from the codes that a loaded
library brings with it (`AI-001`), so importing a library later never collides with a code
already handed out. A code is given once and never changes, even when the provider edits the
directions: the public page, the catalog, complaints and the audit log cite it.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from registry.errors import Conflict
from registry.models.resources import Resource
from registry.reference import Direction

SHANGHAI = ZoneInfo("Asia/Shanghai")
# The demo library's prefixes (data/demo/library/*.yaml), one per Art.5 direction.
DIRECTION_PREFIXES: dict[Direction, str] = {
    Direction.AI: "AI",
    Direction.RND: "RD",
    Direction.MANUFACTURING: "MF",
    Direction.BRAND: "BR",
    Direction.MARKET: "MK",
    Direction.COMPREHENSIVE: "CP",
}
ATTEMPTS = 5  # a colleague may take the same number at the same moment: count again


def code_prefix(*, direction: Direction, now: datetime) -> str:
    """`AI-2026-` for a resource whose first direction is 人工智能应用, registered in 2026."""
    return f"{DIRECTION_PREFIXES[direction]}-{now.astimezone(SHANGHAI).year}-"


def next_code(*, session: Session, direction: Direction, now: datetime) -> str:
    """The next free code of the direction and year (numbers are compared as numbers)."""
    prefix = code_prefix(direction=direction, now=now)
    taken = session.scalars(select(Resource.code).where(Resource.code.startswith(prefix)))
    numbers = [int(tail) for tail in (c[len(prefix) :] for c in taken) if tail.isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


def insert_with_code(
    *, session: Session, resource: Resource, direction: Direction, now: datetime
) -> None:
    """Give `resource` the next code and insert it; a number taken meanwhile is counted again.

    Each attempt runs in a savepoint, so a unique-code violation (PostgreSQL: a concurrent
    transaction committed the same number) undoes only that attempt."""
    for _ in range(ATTEMPTS):
        resource.code = next_code(session=session, direction=direction, now=now)
        try:
            with session.begin_nested():
                session.add(resource)
                session.flush()
            return
        except IntegrityError:
            if session.scalar(select(Resource.id).where(Resource.code == resource.code)) is None:
                raise  # another constraint failed: not ours to retry
    raise Conflict("资源编号分配冲突，请稍后重新保存", code="resource_code_busy", loc=("code",))
