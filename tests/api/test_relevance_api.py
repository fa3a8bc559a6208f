"""The relevance dashboard's API: golden needs, the system's results beside the judgments, a
judgment recorded with its judge and time (a second grade replaces the first), qrels exported
as the evaluation reads them, and the latest report served only from inside its folder."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from api.routes.relevance import adhoc_id, golden_needs
from evaluation.golden import read_qrels
from registry.services.judgments import export_qrels
from tests.api.conftest import error_types
from tests.api.test_events_world import JUDGE, NOW, bearer, world
from tests.pages.library_world import LibraryApp

__all__ = ["world"]

GOLDEN_ID = "N214"  # "想做MES系通，汽车另部件厂，要能追朔每个零件" (misspelt): FX-002 fits
TYPED = "想用机器视觉做注塑件外观缺陷检测"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16


class Judge:
    """Calls as one user of the world, asserting the status."""

    def __init__(self, world: LibraryApp, username: str = JUDGE) -> None:
        self.client, self.headers = world.client, bearer(world, username)

    def __call__(self, method: str, url: str, status: int = 200, **kwargs: Any) -> Any:
        response = self.client.request(method, f"/api/v1/relevance{url}", headers=self.headers,
                                       **kwargs)  # fmt: skip
        assert response.status_code == status, response.text
        is_json = response.headers.get("content-type", "").startswith("application/json")
        return response.json() if is_json and response.content else response


@pytest.fixture
def judge(world: LibraryApp) -> Judge:
    return Judge(world)


def test_golden_needs_are_listed_and_searched(judge: Judge) -> None:
    every = judge("GET", "/needs", params={"limit": 500})
    golden = golden_needs()
    assert [n["query_id"] for n in every] == list(golden)[:500]
    found = judge("GET", "/needs", params={"q": "mes"})
    assert GOLDEN_ID in {n["query_id"] for n in found}
    assert all("mes" in f"{n['query_id']} {n['text']}".lower() for n in found)
    tagged = judge("GET", "/needs", params={"tag": "constrained", "limit": 500})
    assert tagged and all("constrained" in n["tags"] and n["filters"] for n in tagged)


def test_results_of_a_golden_need_and_a_typed_one(judge: Judge) -> None:
    golden = judge("GET", "/results", params={"query_id": GOLDEN_ID, "k": 10})
    assert golden["golden"] is True and golden["text"] == golden_needs()[GOLDEN_ID].text
    assert "FX-002" in [r["resource_code"] for r in golden["results"]]
    assert [r["rank"] for r in golden["results"]] == list(range(1, len(golden["results"]) + 1))
    # Weak matches are kept and flagged, as the evaluation ranks them.
    assert any(r["low_confidence"] for r in golden["results"])
    typed = judge("GET", "/results", params={"text": f"  {TYPED} "})
    assert typed["golden"] is False and typed["query_id"] == adhoc_id(TYPED)
    assert typed["results"][0]["resource_code"] == "FX-001"
    assert typed["results"][0]["provider"] == "东莞市明视智能检测科技有限公司"
    constrained = judge("GET", "/results", params={"query_id": "N153"})  # 东莞本地 注塑MES
    assert constrained["filters"] == {"city": ["东莞市"]}
    assert {r["resource_code"] for r in constrained["results"]} <= {"FX-001", "FX-005"}


def test_a_judgment_is_recorded_with_judge_and_time(world: LibraryApp, judge: Judge) -> None:
    body = {"query_id": GOLDEN_ID, "resource_code": "FX-002", "grade": 2, "note": "部分满足"}
    first = judge("POST", "/judgments", 201, json=body)
    assert first == {"query_id": GOLDEN_ID, "query_text": golden_needs()[GOLDEN_ID].text,
                     "resource_code": "FX-002", "grade": 2, "judge": JUDGE,
                     "judged_at": NOW.isoformat(), "note": "部分满足"}  # fmt: skip
    judge("POST", "/judgments", 201, json=body | {"grade": 3})  # changes the judge's mind
    Judge(world, "admin")("POST", "/judgments", 201, json=body | {"grade": 1})
    results = judge("GET", "/results", params={"query_id": GOLDEN_ID})
    row = next(r for r in results["results"] if r["resource_code"] == "FX-002")
    assert sorted((j["judge"], j["grade"]) for j in row["judgments"]) == [("admin", 1),
                                                                           (JUDGE, 3)]  # fmt: skip
    assert row["my_grade"] == 3 and results["unjudged"] == len(results["results"]) - 1
    listed = judge("GET", "/judgments", params={"query_id": GOLDEN_ID, "judge": JUDGE})
    assert [(j["resource_code"], j["grade"]) for j in listed] == [("FX-002", 3)]
    judge("DELETE", f"/judgments/{GOLDEN_ID}/FX-002", 204)
    gone = judge("DELETE", f"/judgments/{GOLDEN_ID}/FX-002", 404)
    assert error_types(gone) == ["judgment_not_found"]
    Judge(world, "admin")("DELETE", f"/judgments/{GOLDEN_ID}/FX-002", 204)


def test_typed_needs_get_their_own_id_and_qrels_export(world: LibraryApp, judge: Judge) -> None:
    judge("POST", "/judgments", 201,
          json={"query_text": TYPED, "resource_code": "FX-001", "grade": 3})  # fmt: skip
    judge("POST", "/judgments", 201,
          json={"query_text": TYPED, "resource_code": "FX-005", "grade": 1})  # fmt: skip
    admin = Judge(world, "admin")
    admin("POST", "/judgments", 201, json={"query_text": TYPED, "resource_code": "FX-001",
                                           "grade": 2})  # fmt: skip
    results = judge("GET", "/results", params={"text": TYPED})
    graded = {r["resource_code"]: r["my_grade"] for r in results["results"]}
    assert graded["FX-001"] == 3 and graded["FX-005"] == 1
    for policy, fx001 in (("median", 2), ("latest", 2)):
        response = judge("GET", "/qrels.tsv", params={"policy": policy})
        assert response.headers["content-type"].startswith("text/tab-separated-values")
        path = world.settings.var_dir / f"qrels-{policy}.tsv"
        path.write_bytes(response.content)
        exported = read_qrels(path)
        with world.sessions() as session:
            assert exported == export_qrels(session=session, policy=policy)
        assert exported[adhoc_id(TYPED)] == {"FX-001": fx001, "FX-005": 1}


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"query_id": GOLDEN_ID, "query_text": "别的需求", "resource_code": "FX-002", "grade": 2},
         422, "query_text_mismatch"),
        ({"query_id": "N999", "resource_code": "FX-002", "grade": 2}, 404,
         "golden_need_not_found"),
        ({"resource_code": "FX-002", "grade": 2}, 422, "need_required"),
        ({"query_text": TYPED, "resource_code": "XX-999", "grade": 2}, 404, "resource_not_found"),
        ({"query_text": TYPED, "resource_code": "FX-002", "grade": 4}, 422, "less_than_equal"),
        ({"query_id": "N 1", "query_text": TYPED, "resource_code": "FX-002", "grade": 1}, 422,
         "string_pattern_mismatch"),
    ],
)  # fmt: skip
def test_invalid_judgments_are_refused(
    judge: Judge, body: dict[str, Any], status: int, code: str
) -> None:
    assert error_types(judge("POST", "/judgments", status, json=body)) == [code]


def test_other_errors_and_roles(world: LibraryApp, judge: Judge) -> None:
    assert error_types(judge("GET", "/results", 422)) == ["need_required"]
    assert error_types(judge("GET", "/results", 404, params={"query_id": "N999"})) == [
        "golden_need_not_found"
    ]
    assert error_types(judge("GET", "/qrels.tsv", 422, params={"policy": "mean"})) == [
        "literal_error"
    ]
    organiser = Judge(world, "organiser")
    assert error_types(organiser("GET", "/needs", 403)) == ["role_not_allowed"]
    body = {"query_text": TYPED, "resource_code": "FX-001", "grade": 3}
    assert error_types(organiser("POST", "/judgments", 403, json=body)) == ["role_not_allowed"]
    anonymous = world.client.get("/api/v1/relevance/report")
    assert error_types(anonymous.json()) == ["not_authenticated"]


def _report(root: Path, name: str, metric: float) -> Path:
    folder = root / name
    (folder / "plots").mkdir(parents=True)
    (folder / "plots" / "metrics.png").write_bytes(PNG)
    (folder / "plots" / "deltas-dense.png").write_bytes(PNG)
    (folder / "report.html").write_text("<h1>评测</h1><script>alert(1)</script>", "utf-8")
    (folder / "report.md").write_text("# 评测\n", encoding="utf-8")
    (folder / "notes.py").write_text("secret = 1\n", encoding="utf-8")
    results = {"golden": "golden", "split": "test", "command": "funeng eval run default",
               "configs": {"default": {"needs": 9, "answerable": 7,
                                       "means": {"ndcg@10": metric, "mrr@10": 0.5},
                                       "served_means": {"ndcg@10": metric - 0.1},
                                       "unjudged_top10": {"count": 3, "slots": 70}}}}  # fmt: skip
    (folder / "results.json").write_text(json.dumps(results), encoding="utf-8")
    return folder


def test_the_latest_report_and_only_its_files(world: LibraryApp, judge: Judge) -> None:
    root = world.settings.var_dir / "reports"
    assert error_types(judge("GET", "/report", 404)) == ["report_not_found"]
    try:
        _report(root, "20261101-090000-run-default-dev", 0.5)
        _report(root, "20261120-090000-run-default-test", 0.75)
        (root.parent / "outside.png").write_bytes(PNG)
        (root / "20261120-090000-run-default-test" / "plots" / "link.png").symlink_to(
            root.parent / "outside.png"
        )
        found = judge("GET", "/report")
        assert found["name"] == "20261120-090000-run-default-test" and found["split"] == "test"
        assert found["metrics"] == ["ndcg@10", "mrr@10"]
        assert found["rows"] == [{"config": "default", "needs": 7,
                                  "values": {"ndcg@10": 0.75, "mrr@10": 0.5}}]  # fmt: skip
        assert found["served_rows"][0]["values"]["ndcg@10"] == pytest.approx(0.65)
        assert found["unjudged_top10"] == {"default": [3, 70]}
        files = "/api/v1/relevance/report/files/"
        assert [p["url"] for p in found["plots"]] == [
            f"{files}plots/metrics.png", f"{files}plots/deltas-dense.png", f"{files}plots/link.png"
        ]  # fmt: skip
        image = judge("GET", "/report/files/plots/metrics.png")
        assert image.content == PNG and image.headers["content-type"] == "image/png"
        page = judge("GET", "/report/files/report.html")
        assert page.headers["content-security-policy"].startswith("sandbox")
        # Dots percent-encoded: a client would resolve plain `..` before sending.
        refused = ["notes.py", "%2e%2e/20261101-090000-run-default-dev/report.md",
                   "plots/link.png", "%2e%2e/%2e%2e/outside.png", "plots/missing.png",
                   "/etc/passwd"]  # fmt: skip
        for path in refused:
            response = judge("GET", f"/report/files/{path}", 404)
            assert error_types(response) == ["report_file_not_found"], path
    finally:
        shutil.rmtree(root, ignore_errors=True)
        (root.parent / "outside.png").unlink(missing_ok=True)


def test_a_golden_need_shows_the_golden_set_s_own_grades(
    judge: Judge, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    need = {"query_id": "G1", "text": "注塑件外观缺陷机器视觉检测", "tags": ["short"]}
    (tmp_path / "queries.jsonl").write_text(json.dumps(need, ensure_ascii=False) + "\n", "utf-8")
    (tmp_path / "qrels.tsv").write_text("G1\tFX-001\t3\nG1\tFX-005\t1\nG1\tFX-004\t0\n", "utf-8")
    monkeypatch.setattr("api.routes.relevance.golden_dir", lambda: tmp_path)
    found = judge("GET", "/results", params={"query_id": "G1"})
    grades = {r["resource_code"]: r["golden_grade"] for r in found["results"]}
    assert grades["FX-001"] == 3 and grades["FX-005"] == 1
    assert all(grades[c] is None for c in grades if c not in ("FX-001", "FX-004", "FX-005"))
    graded = sum(1 for r in found["results"] if r["golden_grade"] is not None or r["judgments"])
    assert found["unjudged"] == len(found["results"]) - graded
    listed = judge("GET", "/needs")
    assert [n["query_id"] for n in listed] == ["G1"]
