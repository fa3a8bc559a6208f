"""Recording relevance judgments and exporting them as qrels (for the evaluation harness).

Relevance staff (and admins) grade resources for needs: `record_judgment` upserts the actor's
own judgment of one need x resource; `import_judgments` loads many under a label (e.g. the
golden set's qrels as judge "golden-v1"). `export_qrels` merges the judges of each pair:

- "median" (default): the lower median of the judges' grades (statistics.median_low), so two
  judges saying 2 and 3 give 2 — a pair counts as relevant only when half the judges agree it
  helps; one judge's grade is that grade.
- "latest": the most recent judgment wins (ties: the later row).

The result is `{query_id: {resource_code: grade}}`, the shape `evaluation.golden.write_qrels`
writes as qrels.tsv.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.actor import Actor, require_role
from registry.enums import Role
from registry.errors import InvalidInput, NotFound
from registry.models.accounts import User
from registry.models.relevance import RelevanceJudgment
from registry.models.resources import Resource

JUDGING_ROLES = (Role.RELEVANCE_STAFF, Role.ADMIN)
MERGE_POLICIES = ("median", "latest")
MAX_GRADE = 3
_QUERY_ID = re.compile(r"^\S{1,64}$")


@dataclass(frozen=True, slots=True)
class JudgmentInput:
    """One judgment to record."""

    query_id: str
    query_text: str
    resource_code: str
    grade: int
    note: str = ""


@dataclass(frozen=True, slots=True)
class JudgmentView:
    """A stored judgment, for pages and exports."""

    query_id: str
    query_text: str
    resource_code: str
    grade: int
    judge: str
    judged_at: datetime
    note: str


def _view(row: RelevanceJudgment) -> JudgmentView:
    return JudgmentView(
        query_id=row.query_id,
        query_text=row.query_text,
        resource_code=row.resource_code,
        grade=row.grade,
        judge=row.judge,
        judged_at=row.judged_at,
        note=row.note,
    )


def _check(session: Session, data: JudgmentInput) -> None:
    if not _QUERY_ID.match(data.query_id):
        raise InvalidInput(
            "需求编号须为 1–64 个非空白字符", code="invalid_query_id", loc=("query_id",)
        )
    if not data.query_text.strip():
        raise InvalidInput("需求内容不能为空", code="invalid_query_text", loc=("query_text",))
    if (
        isinstance(data.grade, bool)
        or not isinstance(data.grade, int)
        or not 0 <= data.grade <= MAX_GRADE
    ):
        raise InvalidInput("评分须为 0–3 的整数", code="invalid_grade", loc=("grade",))
    if session.scalar(select(Resource.id).where(Resource.code == data.resource_code)) is None:
        raise NotFound(
            f"资源 {data.resource_code} 不存在", code="resource_not_found", loc=("resource_code",)
        )


def _upsert(session: Session, data: JudgmentInput, judge: str, now: datetime) -> RelevanceJudgment:
    row = session.scalar(
        select(RelevanceJudgment).where(
            RelevanceJudgment.query_id == data.query_id,
            RelevanceJudgment.resource_code == data.resource_code,
            RelevanceJudgment.judge == judge,
        )
    )
    if row is None:
        row = RelevanceJudgment(
            query_id=data.query_id, resource_code=data.resource_code, judge=judge
        )
        session.add(row)
    row.query_text = data.query_text.strip()
    row.grade = data.grade
    row.note = data.note.strip()
    row.judged_at = now
    return row


def record_judgment(
    *, session: Session, actor: Actor, now: datetime, data: JudgmentInput
) -> JudgmentView:
    """Record (or change) the actor's own judgment of one need x resource."""
    require_role(actor, *JUDGING_ROLES)
    user = session.get(User, actor.user_id) if actor.user_id is not None else None
    if user is None:
        raise InvalidInput("评判需要以具体账号登录", code="judge_unknown")
    _check(session, data)
    row = _upsert(session, data, user.username, now)
    session.flush()
    return _view(row)


def import_judgments(
    *, session: Session, actor: Actor, now: datetime, judge: str, items: Iterable[JudgmentInput]
) -> int:
    """Record many judgments under the label `judge` (e.g. "golden-v1"); returns how many."""
    require_role(actor, *JUDGING_ROLES)
    if not judge.strip() or len(judge) > 64:
        raise InvalidInput("评判人标签须为 1–64 个字符", code="invalid_judge", loc=("judge",))
    count = 0
    for data in items:
        _check(session, data)
        _upsert(session, data, judge.strip(), now)
        count += 1
    session.flush()
    return count


def remove_judgment(*, session: Session, actor: Actor, query_id: str, resource_code: str) -> bool:
    """Withdraw the actor's own judgment; False when there was none."""
    require_role(actor, *JUDGING_ROLES)
    user = session.get(User, actor.user_id) if actor.user_id is not None else None
    if user is None:
        raise InvalidInput("评判需要以具体账号登录", code="judge_unknown")
    row = session.scalar(
        select(RelevanceJudgment).where(
            RelevanceJudgment.query_id == query_id,
            RelevanceJudgment.resource_code == resource_code,
            RelevanceJudgment.judge == user.username,
        )
    )
    if row is None:
        return False
    session.delete(row)
    session.flush()
    return True


def list_judgments(
    *, session: Session, query_id: str | None = None, judge: str | None = None
) -> list[JudgmentView]:
    """Judgments, optionally of one need and/or one judge, by need, resource and judge."""
    query = select(RelevanceJudgment)
    if query_id is not None:
        query = query.where(RelevanceJudgment.query_id == query_id)
    if judge is not None:
        query = query.where(RelevanceJudgment.judge == judge)
    query = query.order_by(
        RelevanceJudgment.query_id, RelevanceJudgment.resource_code, RelevanceJudgment.judge
    )
    return [_view(row) for row in session.scalars(query)]


def export_qrels(
    *, session: Session, policy: str = "median", judges: Sequence[str] | None = None
) -> dict[str, dict[str, int]]:
    """Qrels merged over judges by `policy` ("median" or "latest"), optionally some judges only."""
    if policy not in MERGE_POLICIES:
        raise InvalidInput(
            f"未知的合并方式：{policy}（可选 median、latest）", code="invalid_merge_policy"
        )
    query = select(RelevanceJudgment).order_by(RelevanceJudgment.judged_at, RelevanceJudgment.id)
    if judges is not None:
        query = query.where(RelevanceJudgment.judge.in_(list(judges)))
    grouped: dict[tuple[str, str], list[int]] = {}
    for row in session.scalars(query):  # oldest first: the last grade of a pair is the latest
        grouped.setdefault((row.query_id, row.resource_code), []).append(row.grade)
    qrels: dict[str, dict[str, int]] = {}
    for (query_id, code), grades in sorted(grouped.items()):
        merged = statistics.median_low(grades) if policy == "median" else grades[-1]
        qrels.setdefault(query_id, {})[code] = int(merged)
    return qrels


def export_queries(*, session: Session) -> dict[str, str]:
    """query_id -> the need's text as last recorded (for a queries.jsonl beside the qrels)."""
    query = select(RelevanceJudgment).order_by(RelevanceJudgment.judged_at, RelevanceJudgment.id)
    return {row.query_id: row.query_text for row in session.scalars(query)}
