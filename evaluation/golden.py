"""Golden sets in TREC vocabulary: queries (needs) and qrels (graded judgments), read and checked.

The formats are documented in `evaluation/formats.md`: `queries.jsonl` (one JSON object per
line: `query_id`, `text`, optional `filters` and `tags`) and `qrels.tsv` (`query_id resource_id
grade`, or TREC's `query_id 0 resource_id grade`; tabs or spaces; `#` comments; an optional
header line). Every problem is reported with its file and line, all at once.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from evaluation.errors import GoldenSetInvalid
from indexing.errors import InvalidFilter
from indexing.query import make_filters
from matcher.types import Filters
from registry.reference import OUTSIDE_GUANGDONG, is_guangdong_city

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"  # the project's golden set
QUERIES_FILE = "queries.jsonl"
QRELS_FILE = "qrels.tsv"
FILTER_NAMES = ("direction", "form", "industry", "city", "provider_type")
KNOWN_TAGS = ("short", "long", "multi_aspect", "constrained", "colloquial", "misspelt", "no_fit")
MAX_GRADE = 3
_TAG = re.compile(r"^[a-z][a-z0-9_]*$")
_HEADER = ("query_id", "resource_id", "grade")

Qrels = dict[str, dict[str, int]]  # query_id -> resource code -> grade 0..3


@dataclass(frozen=True, slots=True)
class GoldenQuery:
    """One need: its id, its text as a manufacturer wrote it, facet filters and tags."""

    query_id: str
    text: str
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    tags: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "filters", MappingProxyType(dict(self.filters)))

    def match_filters(self) -> Filters | None:
        """The matcher filters of this need (None when unconstrained)."""
        return make_filters(**self.filters)


@dataclass(frozen=True)
class GoldenSet:
    """Queries and their judgments; `qrels` holds every query of `queries` (checked on load)."""

    name: str
    queries: tuple[GoldenQuery, ...]
    qrels: Qrels

    def query_ids(self) -> list[str]:
        """Query ids in file order."""
        return [q.query_id for q in self.queries]

    def subset(self, query_ids: Iterable[str], *, name: str | None = None) -> GoldenSet:
        """The queries with these ids (file order kept) and their qrels."""
        wanted = set(query_ids)
        queries = tuple(q for q in self.queries if q.query_id in wanted)
        qrels = {q.query_id: dict(self.qrels[q.query_id]) for q in queries}
        return GoldenSet(name=name or self.name, queries=queries, qrels=qrels)


def read_queries(path: Path) -> list[GoldenQuery]:
    """Parse `queries.jsonl`; GoldenSetInvalid lists every bad line."""
    queries: list[GoldenQuery] = []
    problems: list[str] = []
    seen: set[str] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            query = _query(json.loads(line))
        except (ValueError, InvalidFilter) as error:
            message = getattr(error, "message", None) or str(error)
            problems.append(f"{path.name}:{number}: {message}")
            continue
        if query.query_id in seen:
            problems.append(f"{path.name}:{number}: 重复的 query_id {query.query_id}")
        seen.add(query.query_id)
        queries.append(query)
    _raise(problems, path)
    return queries


def _query(data: object) -> GoldenQuery:
    if not isinstance(data, dict):
        raise ValueError("每行必须是一个 JSON 对象")
    unknown = set(data) - {"query_id", "text", "filters", "tags"}
    if unknown:
        raise ValueError(f"未知字段：{'、'.join(sorted(unknown))}")
    query_id, text = data.get("query_id"), data.get("text")
    if not isinstance(query_id, str) or not query_id.strip() or any(c.isspace() for c in query_id):
        raise ValueError("query_id 必须是不含空白的非空字符串")
    if not isinstance(text, str) or not text.strip():
        raise ValueError("text 必须是非空字符串")
    filters = _filters(data.get("filters") or {})
    tags = data.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) and _TAG.match(t) for t in tags):
        raise ValueError('tags 必须是小写英文标签的列表，如 ["short", "no_fit"]')
    query = GoldenQuery(query_id=query_id, text=text, filters=filters, tags=tuple(tags))
    query.match_filters()  # an unknown city, industry, direction… is refused here
    return query


def _filters(data: object) -> dict[str, tuple[str, ...]]:
    if not isinstance(data, dict):
        raise ValueError("filters 必须是对象")
    unknown = set(data) - set(FILTER_NAMES)
    if unknown:
        raise ValueError(
            f"未知的筛选项：{'、'.join(sorted(unknown))}；可选：{'、'.join(FILTER_NAMES)}"
        )
    out: dict[str, tuple[str, ...]] = {}
    for name, value in data.items():
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise ValueError(f"筛选项 {name} 必须是字符串或字符串列表")
        if name == "city":
            _check_cities(values)
        if values:
            out[name] = tuple(values)
    return out


def _check_cities(values: list[str]) -> None:
    # The matcher accepts any city text (a typo would silently filter everything out).
    for value in values:
        name = value.strip()
        if name != OUTSIDE_GUANGDONG and not is_guangdong_city(name.removesuffix("市") + "市"):
            raise ValueError(f"未知的城市：{value}（广东省 21 个地级以上市之一，或“省外”）")


def read_qrels(path: Path) -> Qrels:
    """Parse `qrels.tsv` (three columns, or TREC's four); GoldenSetInvalid lists every bad line."""
    qrels: Qrels = {}
    problems: list[str] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        fields = line.split()
        if not fields or fields[0].startswith("#") or tuple(fields) == _HEADER:
            continue
        if len(fields) == 4:
            fields = [fields[0], fields[2], fields[3]]  # TREC: query_id iteration doc grade
        if len(fields) != 3:
            problems.append(
                f"{path.name}:{number}: 应为 3 列（或 TREC 的 4 列），实为 {len(fields)} 列"
            )
            continue
        query_id, resource_id, grade_text = fields
        grade = int(grade_text) if re.fullmatch(r"\d+", grade_text) else -1
        if not 0 <= grade <= MAX_GRADE:
            problems.append(f"{path.name}:{number}: 等级必须是 0–{MAX_GRADE} 的整数：{grade_text}")
            continue
        judged = qrels.setdefault(query_id, {})
        if resource_id in judged:
            problems.append(f"{path.name}:{number}: {query_id} × {resource_id} 重复评判")
        judged[resource_id] = grade
    _raise(problems, path)
    return qrels


def write_qrels(path: Path, qrels: Mapping[str, Mapping[str, int]]) -> None:
    """Write qrels as three tab-separated columns with a header, sorted by query and resource."""
    lines = ["\t".join(_HEADER)]
    for query_id in sorted(qrels):
        judged = qrels[query_id]
        lines += [f"{query_id}\t{rid}\t{judged[rid]}" for rid in sorted(judged)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def load_golden(directory: Path, *, name: str | None = None) -> GoldenSet:
    """The golden set in `directory` (queries.jsonl + qrels.tsv); every query must be judged."""
    directory = Path(directory)
    for needed in (QUERIES_FILE, QRELS_FILE):
        if not (directory / needed).is_file():
            raise GoldenSetInvalid(f"缺少 {needed}", code="golden_set_missing", loc=str(directory))
    queries = read_queries(directory / QUERIES_FILE)
    qrels = read_qrels(directory / QRELS_FILE)
    known = {q.query_id for q in queries}
    problems = [f"qrels 中的 {qid} 不在 queries.jsonl 中" for qid in sorted(set(qrels) - known)]
    # A need nothing fits still lists its pooled resources with grade 0: no line = never judged.
    problems += [f"{q.query_id} 没有任何评判" for q in queries if q.query_id not in qrels]
    _raise(problems, directory)
    return GoldenSet(name=name or directory.name, queries=tuple(queries), qrels=qrels)


def _raise(problems: list[str], where: Path) -> None:
    if problems:
        shown = problems[:20] + ([f"……另有 {len(problems) - 20} 处"] if len(problems) > 20 else [])
        raise GoldenSetInvalid("黄金集格式错误：\n" + "\n".join(shown), loc=str(where))
