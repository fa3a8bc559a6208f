"""The relevance dashboard's pages: pick a golden need or type one, grade results through the
form (recorded with the judge and the time), see the grade chosen, and read the latest report
with its plots embedded from the report's own folder."""

from __future__ import annotations

import json
import shutil

from fastapi.testclient import TestClient

from api.routes.relevance import adhoc_id
from registry.services.judgments import list_judgments
from tests.api.test_events_world import JUDGE, NOW, world
from tests.pages.conftest import csrf_of, sign_in
from tests.pages.library_world import LibraryApp

__all__ = ["world"]

TYPED = "想用机器视觉做注塑件外观缺陷检测"


def judge_client(world: LibraryApp, username: str = JUDGE) -> TestClient:
    client = TestClient(world.app, base_url="http://testserver", raise_server_exceptions=False)
    sign_in(client, username)
    return client


def test_the_dashboard_lists_golden_needs_and_shows_results(world: LibraryApp) -> None:
    client = judge_client(world)
    assert client.get("/workspace").url.path == "/relevance"
    home = client.get("/relevance", params={"q": "MES"})
    assert "N214" in home.text and "请选择一条需求" in home.text
    golden = client.get("/relevance", params={"query_id": "N214"})
    assert "黄金集" in golden.text and 'id="r-FX-002"' in golden.text


def test_a_grade_given_on_the_page_is_recorded(world: LibraryApp) -> None:
    client = judge_client(world)
    page = client.get("/relevance", params={"text": TYPED})
    data = {"query_text": TYPED, "resource_code": "FX-001", "grade": "3",
            "csrf_token": csrf_of(page)}  # fmt: skip
    done = client.post("/relevance/judgments", data=data, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].endswith("#r-FX-001")
    with world.sessions() as session:
        found = list_judgments(session=session, query_id=adhoc_id(TYPED), judge=JUDGE)
    assert [(j.resource_code, j.grade, j.query_text, j.judged_at) for j in found] == [
        ("FX-001", 3, TYPED, NOW)
    ]
    again = client.get(done.headers["location"])
    assert 'value="3" class="grade-btn grade-btn--3 is-chosen"' in again.text
    bad = client.post("/relevance/judgments", data=data | {"grade": "5"})
    assert bad.status_code == 422 and "不能大于 3" in bad.text
    forged = client.post("/relevance/judgments", data={**data, "csrf_token": "x"})
    assert forged.status_code == 403


def test_other_roles_cannot_judge(world: LibraryApp) -> None:
    organiser = judge_client(world, "organiser")
    assert organiser.get("/relevance").status_code == 403
    assert organiser.get("/relevance/report").status_code == 403


def test_the_report_page_embeds_the_newest_report(world: LibraryApp) -> None:
    client = judge_client(world)
    assert "还没有评测报告" in client.get("/relevance/report").text
    folder = world.settings.var_dir / "reports" / "20261120-090000-run-default-test"
    try:
        (folder / "plots").mkdir(parents=True)
        (folder / "plots" / "metrics.png").write_bytes(b"\x89PNG\r\n\x1a\n")
        configs = {"bm25": {"answerable": 7, "means": {"ndcg@10": 0.61}},
                   "default": {"answerable": 7, "means": {"ndcg@10": 0.72}}}  # fmt: skip
        results = {"golden": "golden", "split": "test", "command": "funeng eval run default",
                   "configs": configs}  # fmt: skip
        (folder / "results.json").write_text(json.dumps(results), encoding="utf-8")
        page = client.get("/relevance/report").text
        assert "20261120-090000-run-default-test" in page and "funeng eval run default" in page
        assert '<td class="num is-best">0.720</td>' in page and "0.610" in page
        src = "/api/v1/relevance/report/files/plots/metrics.png"
        assert f'src="{src}"' in page
        assert client.get(src).status_code == 200  # the page's session reads the plot
    finally:
        shutil.rmtree(world.settings.var_dir / "reports", ignore_errors=True)
