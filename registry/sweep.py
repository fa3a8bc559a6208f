"""The daily sweep: every date-driven check of the Measures, run by a scheduled job (`funeng
sweep`), never by timers in the process.

Each check lists the conditions that hold today (a missing annual report, a warning past its
six months, a ban that ended, a review step past its deadline). The sweep raises a flag for a
condition not flagged before and resolves open flags whose condition no longer holds, so
running it twice changes nothing the second time. Flags and their resolution are audited; the
caller commits once. A check that cannot run (a year without holiday data) is reported and the
other checks still run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.actor import Actor, require_role
from registry.audit import record
from registry.enums import Role
from registry.errors import RegistryError
from registry.models.monitoring import FlagKind, MonitoringFlag
from registry.sweep_checks import (
    Condition,
    bans_ended,
    missing_annual_reports,
    overdue_reviews,
    overdue_warnings,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
SYSTEM = Actor(user_id=None, role=Role.ADMIN)  # the scheduled job
CHECKS: tuple[tuple[FlagKind, Callable[[Session, datetime], list[Condition]]], ...] = (
    (FlagKind.ANNUAL_REPORT_MISSING, missing_annual_reports),
    (FlagKind.WARNING_OVERDUE, overdue_warnings),
    (FlagKind.BAN_ENDED, bans_ended),
    (FlagKind.REVIEW_OVERDUE, overdue_reviews),
)
# Informational: recorded once and resolved at once (nothing for staff to do).
NOTICES = frozenset({FlagKind.BAN_ENDED})


@dataclass
class SweepReport:
    """What one run found and changed."""

    today: date
    raised: list[MonitoringFlag] = field(default_factory=list)
    resolved: list[MonitoringFlag] = field(default_factory=list)
    open_counts: dict[FlagKind, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every check ran."""
        return not self.errors


def run_sweep(*, session: Session, now: datetime, actor: Actor = SYSTEM) -> SweepReport:
    """Run every check as of `now`; flags raised and resolved are in the caller's transaction."""
    require_role(actor, Role.ADMIN, Role.PROVINCIAL_STAFF)
    report = SweepReport(today=now.astimezone(SHANGHAI).date())
    for kind, check in CHECKS:
        try:
            with session.begin_nested():
                conditions = check(session, now)
                _sync(session, actor, now, kind, conditions, report)
        except RegistryError as error:
            report.errors.append(f"{kind.value}: [{error.code}] {error.message}")
    for kind, _ in CHECKS:
        report.open_counts[kind] = len(open_flags(session=session, actor=actor, kind=kind))
    return report


def _sync(
    session: Session,
    actor: Actor,
    now: datetime,
    kind: FlagKind,
    conditions: list[Condition],
    report: SweepReport,
) -> None:
    existing = {
        f.key: f for f in session.scalars(select(MonitoringFlag).where(MonitoringFlag.kind == kind))
    }
    current = {c.key for c in conditions}
    for condition in conditions:
        if condition.key in existing:
            continue
        flag = MonitoringFlag(
            kind=kind, key=condition.key, article=condition.article,
            organisation_id=condition.organisation_id, city=condition.city,
            resource_code=condition.resource_code, message=condition.message,
            due_on=condition.due_on, raised_at=now,
            resolved_at=now if kind in NOTICES else None,
            resolution="仅作提示" if kind in NOTICES else None,
        )  # fmt: skip
        session.add(flag)
        session.flush()
        report.raised.append(flag)
        _audit(session, actor, now, flag, "raised")
        if condition.on_raise is not None:
            condition.on_raise(session, now)
    for key, flag in existing.items():
        if flag.resolved_at is None and key not in current:
            flag.resolved_at, flag.resolution = now, "情形已消除"
            report.resolved.append(flag)
            _audit(session, actor, now, flag, "resolved")
    session.flush()


def _audit(session: Session, actor: Actor, now: datetime, flag: MonitoringFlag, what: str) -> None:
    record(session, actor=actor, now=now, action=f"sweep.flag_{what}",
           object_type="monitoring_flag", object_id=flag.id,
           after={"kind": flag.kind.value, "key": flag.key, "article": flag.article,
                  "resource_code": flag.resource_code, "message": flag.message})  # fmt: skip


def open_flags(
    *, session: Session, actor: Actor, kind: FlagKind | None = None
) -> list[MonitoringFlag]:
    """Open flags the actor may see (a city: its own city's), oldest due first."""
    require_role(actor, Role.ADMIN, Role.PROVINCIAL_STAFF, Role.MUNICIPAL_REVIEWER)
    query = select(MonitoringFlag).where(MonitoringFlag.resolved_at.is_(None))
    if kind is not None:
        query = query.where(MonitoringFlag.kind == kind)
    if actor.role is Role.MUNICIPAL_REVIEWER:
        query = query.where(MonitoringFlag.city == actor.city)
    return list(session.scalars(query.order_by(MonitoringFlag.due_on, MonitoringFlag.id)))
