"""The relevance dashboard's API (检索效果评测, relevance staff and administrators): golden needs,
the system's top results for a golden or typed need beside the judgments already recorded, a
judgment 0-3 recorded through `registry.services.judgments` (judge and time), qrels as TSV,
and the latest evaluation report with its plots, served only from inside its own folder."""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import TYPE_CHECKING, Annotated, Literal

from fastapi import Query, Request, Response
from fastapi.responses import FileResponse
from sqlalchemy.orm import Session

from api.deps import ActorDep, NowDep, SessionDep, SettingsDep
from api.errors import search_errors
from api.ranking import NAME_PATTERN, ranking_config
from api.routes import api_router
from api.routes.events import live_index
from api.schemas.relevance import (
    GoldenNeedRead,
    JudgmentCreate,
    JudgmentRead,
    ReportRead,
    ResultRead,
    ResultsRead,
)
from api.views import FILE_RESPONSE
from registry.actor import Actor
from registry.errors import InvalidInput, NotFound
from registry.services import judgments

if TYPE_CHECKING:
    from evaluation.golden import GoldenQuery
    from indexing.live import LiveIndex

router = api_router("/relevance", "检索效果评测")
ADHOC_PREFIX = "adhoc-"
TSV = "text/tab-separated-values; charset=utf-8"
REPORT_FILES = "/api/v1/relevance/report/files/"
REPORT_TYPES = {
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".html": "text/html; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".json": "application/json",
}
# A report's HTML is shown as a document of its own: no script, no request but its images.
REPORT_CSP = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'"


@dataclass(frozen=True, slots=True)
class Need:
    """A need to judge: a golden one, or one typed on the dashboard (id `adhoc-<hash>`)."""

    query_id: str
    text: str
    golden: bool
    tags: tuple[str, ...] = ()
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)


def golden_dir() -> Path:
    """The project's golden set (`queries.jsonl`, `qrels.tsv`)."""
    from evaluation.golden import GOLDEN_DIR

    return GOLDEN_DIR


def golden_needs() -> dict[str, GoldenQuery]:
    """The golden needs by id, re-read when the file changes."""
    from evaluation.golden import QUERIES_FILE

    path = golden_dir() / QUERIES_FILE
    return _read_golden(path, path.stat().st_mtime if path.is_file() else 0.0)


def golden_grades(query_id: str) -> dict[str, int]:
    """The golden set's own grades of a need (its committed qrels), resource code -> grade."""
    from evaluation.golden import QRELS_FILE

    path = golden_dir() / QRELS_FILE
    qrels = _read_qrels(path, path.stat().st_mtime if path.is_file() else 0.0)
    return dict(qrels.get(query_id, {}))


@functools.lru_cache(maxsize=4)
def _read_golden(path: Path, _mtime: float) -> dict[str, GoldenQuery]:
    from evaluation.golden import read_queries

    return {q.query_id: q for q in read_queries(path)} if path.is_file() else {}


@functools.lru_cache(maxsize=4)
def _read_qrels(path: Path, _mtime: float) -> dict[str, dict[str, int]]:
    from evaluation.golden import read_qrels

    return read_qrels(path) if path.is_file() else {}


def judged_counts(session: Session) -> dict[str, int]:
    """query_id -> how many resources have a recorded judgment (any judge), in one query."""
    from sqlalchemy import distinct, func, select

    from registry.models.relevance import RelevanceJudgment as J

    rows = session.execute(select(J.query_id, func.count(distinct(J.resource_code)))
                           .group_by(J.query_id))  # fmt: skip
    return {query_id: int(count) for query_id, count in rows}


def adhoc_id(text: str) -> str:
    """The id of a typed need: the same text always gets the same id."""
    digest = hashlib.sha256(" ".join(text.split()).encode()).hexdigest()[:12]
    return f"{ADHOC_PREFIX}{digest}"


def need_of(query_id: str | None, text: str | None) -> Need:
    """The golden need `query_id`, else the typed `text`; 404 / 422 when neither is usable."""
    text = " ".join((text or "").split())
    if query_id:
        golden = golden_needs().get(query_id)
        if golden is not None:
            return Need(query_id, golden.text, True, golden.tags, dict(golden.filters))
        if not text:
            raise NotFound(f"黄金集中没有需求 {query_id}", code="golden_need_not_found",
                           loc=("query", "query_id"))  # fmt: skip
        return Need(query_id, text, False)
    if not text:
        raise InvalidInput("请选择黄金集中的需求，或输入一条需求", code="need_required",
                           loc=("query", "query_id"))  # fmt: skip
    return Need(adhoc_id(text), text, False)


@router.get("/needs", name="relevance.needs", summary="黄金集需求")
def needs(
    session: SessionDep,
    q: Annotated[str | None, Query(max_length=100, description="编号或内容中的文字")] = None,
    tag: Annotated[str | None, Query(max_length=30, description="标签，如 multi_aspect")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[GoldenNeedRead]:
    """Golden needs in file order, with how many resources each has judgments for."""
    judged = judged_counts(session)
    needle = (q or "").strip().lower()
    found = [
        GoldenNeedRead(query_id=g.query_id, text=g.text, tags=list(g.tags),
                       filters={k: list(v) for k, v in g.filters.items()},
                       judged=judged.get(g.query_id, 0))
        for g in golden_needs().values()
        if (not needle or needle in f"{g.query_id} {g.text}".lower())
        and (not tag or tag in g.tags)
    ]  # fmt: skip
    return found[:limit]


@router.get("/results", name="relevance.results", summary="系统结果与已有评判")
def results(
    request: Request,
    actor: ActorDep,
    session: SessionDep,
    query_id: Annotated[str | None, Query(max_length=64, description="黄金集需求编号")] = None,
    text: Annotated[str | None, Query(max_length=2000, description="或：输入的需求")] = None,
    k: Annotated[int, Query(ge=1, le=50)] = 20,
    config: Annotated[str | None, Query(pattern=NAME_PATTERN, description="排序配置名")] = None,
) -> ResultsRead:
    """The top k for the need, weak matches kept and flagged (as the evaluation ranks them)."""
    need = need_of(query_id, text)
    return system_results(live=live_index(request), session=session, actor=actor, need=need,
                          k=k, config_name=config)  # fmt: skip


def system_results(
    *, live: LiveIndex, session: Session, actor: Actor, need: Need, k: int,
    config_name: str | None = None,
) -> ResultsRead:  # fmt: skip
    """The need's ranked results on the live index beside every judgment of the need."""
    from indexing.query import make_filters
    from matcher.config import MatchConfig

    base = ranking_config(config_name) or live.parts.config or MatchConfig()
    config = replace(base, confidence=replace(base.confidence, keep_low_confidence=True))
    with search_errors():
        found = live.match(need.text, k=k, filters=make_filters(**need.filters), config=config)
    judged: dict[str, list[JudgmentRead]] = {}
    for view in judgments.list_judgments(session=session, query_id=need.query_id):
        judged.setdefault(view.resource_code, []).append(JudgmentRead.of(view))
    me = _username(session, actor)
    golden = golden_grades(need.query_id) if need.golden else {}
    rows = [_result(live, rank, m, judged.get(m.resource_id, []), me, golden.get(m.resource_id))
            for rank, m in enumerate(found.matches, 1)]  # fmt: skip
    shown = {r.resource_code for r in rows}
    others = [j for code, items in sorted(judged.items()) if code not in shown for j in items]
    return ResultsRead(
        query_id=need.query_id, text=need.text, golden=need.golden, tags=list(need.tags),
        filters={name: list(v) for name, v in need.filters.items()}, k=k,
        config=config_name or "default", reason=found.reason, results=rows,
        other_judgments=others,
        unjudged=sum(1 for r in rows if not r.judgments and r.golden_grade is None),
    )  # fmt: skip


def _username(session: Session, actor: Actor) -> str | None:
    from registry.models.accounts import User

    user = session.get(User, actor.user_id) if actor.user_id is not None else None
    return user.username if user else None


def _result(
    live: LiveIndex, rank: int, match: object, judged: list[JudgmentRead], me: str | None,
    golden: int | None,
) -> ResultRead:  # fmt: skip
    from matcher.types import ResourceMatch

    assert isinstance(match, ResourceMatch)
    doc = live.document(match.resource_id)
    fields = dict(doc.fields) if doc else {}
    city = doc.facets.get("city", ("",)) if doc else ("",)
    mine = next((j.grade for j in judged if j.judge == me), None)
    return ResultRead(
        rank=rank, resource_code=match.resource_id, title=doc.title if doc else match.resource_id,
        provider=fields.get("provider", ""), provider_city=city[0] if city else "",
        score=match.score, confidence=match.confidence,
        low_confidence="low_confidence" in match.flags, flags=list(match.flags),
        judgments=judged, my_grade=mine, golden_grade=golden,
        detail_url=f"/library/{match.resource_id}",
    )  # fmt: skip


def record(
    *, session: Session, actor: Actor, now: datetime, body: JudgmentCreate
) -> judgments.JudgmentView:
    """Record the caller's judgment; a golden need's text is the golden one."""
    need = need_of(body.query_id, body.query_text)
    if need.golden and body.query_text and " ".join(body.query_text.split()) != need.text:
        raise InvalidInput(f"{need.query_id} 是黄金集需求，需求内容应与黄金集一致",
                           code="query_text_mismatch", loc=("body", "query_text"))  # fmt: skip
    data = judgments.JudgmentInput(query_id=need.query_id, query_text=need.text,
                                   resource_code=body.resource_code, grade=body.grade,
                                   note=body.note)  # fmt: skip
    return judgments.record_judgment(session=session, actor=actor, now=now, data=data)


@router.post("/judgments", name="relevance.judgments.record", summary="记录评判（0–3）",
             status_code=201)  # fmt: skip
def record_judgment(
    body: JudgmentCreate, actor: ActorDep, session: SessionDep, now: NowDep
) -> JudgmentRead:
    """The caller's grade of one resource for one need (a second grade replaces the first)."""
    result = JudgmentRead.of(record(session=session, actor=actor, now=now, body=body))
    session.commit()
    return result


@router.get("/judgments", name="relevance.judgments.list", summary="已记录的评判")
def list_judgments(
    session: SessionDep,
    query_id: Annotated[str | None, Query(max_length=64)] = None,
    judge: Annotated[str | None, Query(max_length=64)] = None,
) -> list[JudgmentRead]:
    """Judgments, optionally of one need and/or one judge."""
    views = judgments.list_judgments(session=session, query_id=query_id, judge=judge)
    return [JudgmentRead.of(v) for v in views]


@router.delete("/judgments/{query_id}/{resource_code}", name="relevance.judgments.remove",
               summary="撤回本人的评判", status_code=204)  # fmt: skip
def remove_judgment(
    query_id: str, resource_code: str, actor: ActorDep, session: SessionDep
) -> Response:
    """Withdraw the caller's own judgment; 404 when there is none."""
    if not judgments.remove_judgment(session=session, actor=actor, query_id=query_id,
                                     resource_code=resource_code):  # fmt: skip
        raise NotFound("没有本人对该资源的评判", code="judgment_not_found",
                       loc=("path", "resource_code"))  # fmt: skip
    session.commit()
    return Response(status_code=204)


@router.get("/qrels.tsv", name="relevance.qrels", summary="导出 qrels（TSV）",
            response_class=Response,
            responses={200: {"content": {TSV: {}}, "description": "qrels.tsv"}})  # fmt: skip
def qrels(
    session: SessionDep,
    policy: Annotated[Literal["median", "latest"], Query(description="多人评判的合并")] = "median",
) -> Response:
    """Every judgment merged per need x resource, as `evaluation` reads qrels.tsv."""
    from evaluation.golden import QRELS_FILE, write_qrels

    merged = judgments.export_qrels(session=session, policy=policy)
    with TemporaryDirectory() as folder:  # one writer of the format: the evaluation's own
        path = Path(folder) / QRELS_FILE
        write_qrels(path, merged)
        content = path.read_bytes()
    return Response(content, media_type=TSV, headers={
        "Content-Disposition": f'attachment; filename="qrels-{policy}.tsv"',
        "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff",
    })  # fmt: skip


@router.get("/report", name="relevance.report", summary="最新评测报告")
def report(settings: SettingsDep) -> ReportRead:
    """The newest report folder's metric tables, plots and documents."""
    folder = latest_report(settings.var_dir)
    if folder is None:
        raise NotFound("还没有评测报告：请先运行 funeng eval run", code="report_not_found")
    return ReportRead.of_folder(folder, url=REPORT_FILES)


@router.get("/report/files/{file_path:path}", name="relevance.report.file",
            summary="最新评测报告中的文件（图表、HTML、Markdown）", response_class=FileResponse,
            responses=FILE_RESPONSE)  # fmt: skip
def report_file(file_path: str, settings: SettingsDep) -> FileResponse:
    """A file inside the newest report folder, and nothing outside it."""
    folder = latest_report(settings.var_dir)
    target = (folder / file_path).resolve() if folder is not None else None
    # Resolved (symlinks followed) and then required to lie inside the folder: no `..`, no link
    # out of it, no absolute path, only the kinds of file a report holds.
    if (
        folder is None or target is None or not target.is_relative_to(folder.resolve())
        or not target.is_file() or target.suffix.lower() not in REPORT_TYPES
    ):  # fmt: skip
        raise NotFound(f"报告中没有该文件：{file_path}", code="report_file_not_found",
                       loc=("path", "file_path"))  # fmt: skip
    return FileResponse(target, media_type=REPORT_TYPES[target.suffix.lower()], headers={
        "Content-Security-Policy": REPORT_CSP, "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-cache",
    })  # fmt: skip


def latest_report(var_dir: Path) -> Path | None:
    """The newest report folder (names start with their time, `%Y%m%d-%H%M%S`)."""
    root = var_dir / "reports"
    if not root.is_dir():
        return None
    folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    return folders[-1] if folders else None
