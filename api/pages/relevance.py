"""检索效果评测, the relevance dashboard: pick a golden need or type one, see the system's top
results beside the judgments already recorded, grade each 0-3 (recorded with the judge and the
time), export qrels, and read the latest evaluation report with its plots."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from api.auth import Principal
from api.deps import NowDep, SessionDep, SettingsDep, SignedInDep
from api.pages.common import ROLE_HOMES, PageErrors, attempt, errors_of, flash, redirect, render
from api.pages.validation import form_data, parse
from api.permissions import RELEVANCE
from api.routes.events import live_index
from api.routes.relevance import (
    REPORT_FILES,
    golden_needs,
    judged_counts,
    latest_report,
    need_of,
    record,
    system_results,
)
from api.schemas.relevance import JudgmentCreate, ReportRead, ResultsRead
from registry.enums import Role

router = APIRouter(include_in_schema=False)
PERMISSIONS = {
    "page.relevance": RELEVANCE,
    "page.relevance.judge": RELEVANCE,
    "page.relevance.report": RELEVANCE,
}
ROLE_HOMES.setdefault(Role.RELEVANCE_STAFF, "/relevance")
GRADES = (
    (0, "无关", "与需求无关"),
    (1, "仅主题相关", "领域相近，但解决不了需求"),
    (2, "部分解决", "能解决需求的一部分"),
    (3, "完全满足", "正是需求要找的资源"),
)
TAGS = ("short", "long", "multi_aspect", "constrained", "colloquial", "misspelt", "no_fit")
PICKER_SIZE = 60


def need_url(query_id: str | None, text: str | None, **extra: str) -> str:
    """The dashboard's address for a need (a golden one by id, a typed one by its text)."""
    pairs = {"query_id": query_id} if query_id else {"text": text or ""}
    return "/relevance?" + urlencode({**pairs, **extra})


def dashboard(
    request: Request, principal: Principal, session: Session, *, q: str | None, tag: str | None,
    query_id: str | None, text: str | None, errors: PageErrors | None = None,
) -> HTMLResponse:  # fmt: skip
    """The picker and, when a need is chosen, its results to judge."""
    judged = judged_counts(session)
    needle = (q or "").strip().lower()
    picked = [g for g in golden_needs().values()
              if (not needle or needle in f"{g.query_id} {g.text}".lower())
              and (not tag or tag in g.tags)]  # fmt: skip
    results: ResultsRead | None = None
    problems = errors
    if query_id or (text or "").strip():
        try:
            need = need_of(query_id, text)
            results = system_results(live=live_index(request), session=session,
                                     actor=principal.actor, need=need, k=20)  # fmt: skip
        except Exception as error:  # the page still renders, with the reason
            problems = errors_of(error)
    return render(request, "relevance/dashboard.html", {
        "needs": picked[:PICKER_SIZE], "matching": len(picked), "judged": judged, "q": q or "",
        "tag": tag or "", "tags": TAGS, "query_id": query_id, "text": text or "",
        "results": results, "errors": problems, "grades": GRADES,
        "here": need_url(query_id, text) if results else "/relevance",
    }, principal=principal, status_code=errors.status if errors else 200)  # fmt: skip


@router.get("/relevance", name="page.relevance")
def relevance_page(
    request: Request,
    principal: SignedInDep,
    session: SessionDep,
    q: Annotated[str | None, Query(max_length=100)] = None,
    tag: Annotated[str | None, Query(max_length=30)] = None,
    query_id: Annotated[str | None, Query(max_length=64)] = None,
    text: Annotated[str | None, Query(max_length=2000)] = None,
) -> HTMLResponse:
    """Pick a need; judge the system's results for it."""
    return dashboard(request, principal, session, q=q, tag=tag, query_id=query_id, text=text)


@router.post("/relevance/judgments", name="page.relevance.judge")
async def judge(
    request: Request, principal: SignedInDep, session: SessionDep, now: NowDep
) -> Response:
    """Record the caller's grade of one result; back to the need, at that result."""
    data: dict[str, Any] = await form_data(request)

    def run() -> Response:
        body = {key: data.get(key) for key in ("query_id", "query_text", "resource_code",
                                               "grade") if data.get(key) is not None}  # fmt: skip

        def action() -> None:
            record(session=session, actor=principal.actor, now=now,
                   body=parse(JudgmentCreate, body))  # fmt: skip

        errors = attempt(session, action)
        query_id, text = data.get("query_id"), data.get("query_text")
        if errors:
            return dashboard(request, principal, session, q=None, tag=None, query_id=query_id,
                             text=text, errors=errors)  # fmt: skip
        flash(request, f"已记录：{data.get('resource_code')} 评为 {data.get('grade')} 分。")
        return redirect(need_url(query_id, text) + f"#r-{data.get('resource_code', '')}")

    return await run_in_threadpool(run)


@router.get("/relevance/report", name="page.relevance.report")
def report_page(request: Request, principal: SignedInDep, settings: SettingsDep) -> HTMLResponse:
    """The newest evaluation report: its metric tables, plots and documents."""
    folder = latest_report(settings.var_dir)
    report = ReportRead.of_folder(folder, url=REPORT_FILES) if folder is not None else None
    best = {}
    if report is not None:
        for metric in report.metrics:
            values = [r.values.get(metric) for r in report.rows]
            known = [v for v in values if v is not None]
            best[metric] = max(known) if len(known) > 1 else None
    return render(request, "relevance/report.html", {"report": report, "best": best},
                  principal=principal)  # fmt: skip
