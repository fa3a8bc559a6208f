"""The judges' record `judgments.tsv` and the qrels exported from it.

Columns (evaluation/golden/README.md, "File formats"), tab-separated with a header:
`query_id resource_id grade judge judged_at source note` — judged_at an ISO date, source `pool`
or `browse`, note optional. A judge judging a pair again replaces their grade (the latest
judged_at; on the same date, the later line); several judges of a pair are merged by the lower
median of their grades (with two judges, the lower grade), the same policy as
`registry.services.judgments.export_qrels` for judgments stored in the database.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from evaluation.errors import GoldenSetInvalid
from evaluation.golden import MAX_GRADE, Qrels

HEADER = ("query_id", "resource_id", "grade", "judge", "judged_at", "source", "note")
SOURCES = ("pool", "browse")


@dataclass(frozen=True, slots=True)
class Judgment:
    """One line of judgments.tsv."""

    query_id: str
    resource_id: str
    grade: int
    judge: str
    judged_on: date
    source: str
    note: str = ""


def read_judgments(path: Path) -> list[Judgment]:
    """Parse judgments.tsv; GoldenSetInvalid lists every bad line."""
    rows: list[Judgment] = []
    problems: list[str] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if tuple(fields[:3]) == HEADER[:3]:
            continue
        try:
            rows.append(_row(fields))
        except ValueError as error:
            problems.append(f"{path.name}:{number}: {error}")
    if problems:
        raise GoldenSetInvalid("评判记录格式错误：\n" + "\n".join(problems[:20]), loc=str(path))
    return rows


def _row(fields: list[str]) -> Judgment:
    if not 6 <= len(fields) <= 7:
        raise ValueError(f"应为 6 或 7 列（以制表符分隔），实为 {len(fields)} 列")
    query_id, resource_id, grade, judge, judged_at, source = (f.strip() for f in fields[:6])
    if not grade.isdigit() or not 0 <= int(grade) <= MAX_GRADE:
        raise ValueError(f"等级必须是 0–{MAX_GRADE} 的整数：{grade}")
    if source not in SOURCES:
        raise ValueError(f"source 必须是 pool 或 browse：{source}")
    if not (query_id and resource_id and judge):
        raise ValueError("query_id、resource_id、judge 不能为空")
    try:
        judged_on = date.fromisoformat(judged_at[:10])
    except ValueError as error:
        raise ValueError(f"judged_at 不是 ISO 日期：{judged_at}") from error
    note = fields[6].strip() if len(fields) == 7 else ""
    return Judgment(query_id, resource_id, int(grade), judge, judged_on, source, note)


def merged_qrels(rows: list[Judgment]) -> Qrels:
    """One grade per (need, resource): each judge's latest, then the lower median over judges."""
    order = sorted(enumerate(rows), key=lambda item: (item[1].judged_on, item[0]))
    latest: dict[tuple[str, str], dict[str, int]] = {}
    for _, row in order:
        latest.setdefault((row.query_id, row.resource_id), {})[row.judge] = row.grade
    qrels: Qrels = {}
    for (query_id, resource_id), grades in sorted(latest.items()):
        qrels.setdefault(query_id, {})[resource_id] = statistics.median_low(grades.values())
    return qrels


def judged_pairs(rows: list[Judgment]) -> dict[str, set[str]]:
    """query_id -> resources judged at least once (to leave out of new pools)."""
    pairs: dict[str, set[str]] = {}
    for row in rows:
        pairs.setdefault(row.query_id, set()).add(row.resource_id)
    return pairs
