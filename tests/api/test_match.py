"""`POST /api/v1/match` over the fixture library (loaded through the workflow) with the app's
own live index (keyword encoder): ranked resources with highlights and the evidence case,
filters, "no suitable resource", validation errors in the one body, bundles, named ranking
configurations, and readiness."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from api.ranking import config_dir
from tests.api.conftest import error_types
from tests.pages.library_world import CERTIFIED, LibraryApp, library_app

NEED = "我们是东莞的注塑厂，想用机器视觉做外观缺陷检测"
BUNDLE_NEED = "想用机器视觉做缺陷检测，同时上线MES，并通过跨境电商拓展海外市场"
# Facet values of the certified fixture resources, as loaded (the brute-force reference).
FACETS = {
    "FX-001": {"city": "东莞市", "direction": {"人工智能应用", "制造生产"}, "form": "标准化产品",
               "industry": {"C29", "C39"}},
    "FX-002": {"city": "佛山市", "direction": {"制造生产"}, "form": "标准化产品",
               "industry": {"C29", "C33"}},
    "FX-003": {"city": "广州市", "direction": {"市场销售", "品牌建设"}, "form": "集成服务方案",
               "industry": {"C38", "C39", "C24"}},
    "FX-004": {"city": "深圳市", "direction": {"制造生产", "综合赋能"}, "form": "集成服务方案",
               "industry": {"C26", "C30", "C33"}},
}  # fmt: skip


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LibraryApp]:
    with library_app(tmp_path_factory.mktemp("match")) as running:
        yield running


def match(world: LibraryApp, status: int = 200, **body: Any) -> Any:
    response = world.client.post("/api/v1/match", json=body)
    assert response.status_code == status, response.text
    return response.json()


def check_spans(field: dict[str, Any]) -> None:
    """Every highlight points at its term in the field's text."""
    for span in field["highlights"]:
        assert field["text"][span["start"] : span["end"]] == span["term"], (field, span)


def test_happy_path_ranks_highlights_and_shows_the_evidence_case(world: LibraryApp) -> None:
    body = match(world, need=NEED, k=5)
    assert body["no_suitable_resource"] is False and body["reason"] == "ok"
    assert body["message"] is None and body["advice"] == []
    top = body["results"][0]
    assert top["code"] == "FX-001" and top["rank"] == 1
    assert top["provider_name"] == "东莞市明视智能检测科技有限公司"
    assert top["provider_city"] == "东莞市"
    assert top["priority"] is True and "priority" in top["flags"] and top["warned"] is False
    assert {"机器视觉", "注塑"} <= set(top["matched_terms"])
    assert {r["name"]: r["rank"] for r in top["retrievers"]} == {"bm25": 1, "dense": 1}
    assert 0.45 <= top["confidence"] <= 1.0
    title_terms = {s["term"] for s in top["title"]["highlights"]}
    assert {"机器视觉", "注塑"} <= title_terms
    for field in [top["title"], *top["fields"]]:
        check_spans(field)
    evidence = top["evidence"]
    assert evidence["client"] and evidence["client_city"].endswith("市")
    assert evidence["title"]["text"] in {
        "家电外壳注塑车间外观全检改造", "汽车内饰件银纹与缺料检测", "手机中框外观缺陷自动检测"
    }  # fmt: skip
    for field in [evidence["title"], evidence["results_excerpt"], *evidence["fields"]]:
        check_spans(field)
    assert top["detail_url"] == "/library/FX-001"
    assert [r["rank"] for r in body["results"]] == list(range(1, len(body["results"]) + 1))


def test_nothing_private_leaves(world: LibraryApp) -> None:
    text = json.dumps(match(world, need=NEED, k=50), ensure_ascii=False)
    for private in ("0769-22000001", "li@mingshi", "李工", "审计报告", "ZL202210000901", "松山湖"):
        assert private not in text  # contacts, finances, evidence, address
    assert "FX-005" not in text and "FX-008" not in text  # applications not certified


@pytest.mark.parametrize("city", ["东莞", "东莞市", ["东莞"]])
def test_city_filter_accepts_both_spellings(world: LibraryApp, city: object) -> None:
    body = match(world, need=NEED, filters={"city": city})
    assert [r["code"] for r in body["results"]] == ["FX-001"]


@pytest.mark.parametrize(
    ("filters", "allowed"),
    [
        ({"direction": ["制造生产"]}, {"FX-001", "FX-002", "FX-004"}),
        ({"direction": ["市场销售"], "form": ["集成服务方案"]}, {"FX-003"}),
        ({"industry": ["C33"]}, {"FX-002", "FX-004"}),
        ({"industry": ["橡胶和塑料制品业"]}, {"FX-001", "FX-002"}),
        ({"city": ["佛山", "深圳市"]}, {"FX-002", "FX-004"}),
        ({"provider_type": ["企业"]}, set(CERTIFIED)),
    ],
)
def test_filters_never_leak_and_never_lose(
    world: LibraryApp, filters: dict[str, list[str]], allowed: set[str]
) -> None:
    # A need touching every fixture topic: each allowed resource matches some of it.
    need = "机器视觉缺陷检测、MES排程追溯、跨境电商独立站、能耗管理碳排放"
    codes = {r["code"] for r in match(world, need=need, k=50, filters=filters)["results"]}
    assert codes == allowed


def test_a_need_nothing_fits_gets_no_suitable_resource(world: LibraryApp) -> None:
    body = match(world, need="红酒进口代理与葡萄酒品鉴会策划")
    assert body["no_suitable_resource"] is True and body["results"] == []
    assert body["reason"] == "low_confidence" and "暂未找到" in body["message"]
    assert body["advice"]


def test_a_need_of_only_punctuation_is_empty(world: LibraryApp) -> None:
    body = match(world, need="，。！？的")
    assert body["no_suitable_resource"] is True and body["reason"] == "empty_query"


def test_filters_that_exclude_everything(world: LibraryApp) -> None:
    body = match(world, need=NEED, filters={"direction": ["研发创新"]})
    assert body["no_suitable_resource"] is True and body["reason"] == "no_candidates"
    assert "筛选" in body["message"]


def test_bundle_covers_each_aspect_with_its_resource(world: LibraryApp) -> None:
    body = match(world, need=BUNDLE_NEED, bundle=True)
    bundle = body["bundle"]
    assert len(bundle["aspects"]) == 3 and bundle["uncovered"] == []
    covering = {bundle["aspects"][a]: p["code"] for p in bundle["parts"] for a in p["aspects"]}
    assert covering == {
        "想用机器视觉做缺陷检测": "FX-001",
        "上线MES": "FX-002",
        "通过跨境电商拓展海外市场": "FX-003",
    }
    assert [r["code"] for r in body["results"]] == [p["code"] for p in bundle["parts"]]
    assert body["no_suitable_resource"] is False


@pytest.mark.parametrize(
    ("body", "code", "loc"),
    [
        ({"need": ""}, "string_too_short", ["body", "need"]),
        ({"need": "   "}, "string_too_short", ["body", "need"]),
        ({"need": "检" * 2001}, "string_too_long", ["body", "need"]),
        ({"need": NEED, "k": 0}, "greater_than_equal", ["body", "k"]),
        ({"need": NEED, "k": 51}, "less_than_equal", ["body", "k"]),
        ({"need": NEED, "limit": 5}, "extra_forbidden", ["body", "limit"]),
        ({"need": NEED, "config": "../secrets"}, "string_pattern_mismatch", ["body", "config"]),
        ({"need": NEED, "filters": {"direction": ["火箭发射"]}}, "invalid_filter",
         ["body", "filters", "direction"]),
        ({"need": NEED, "filters": {"industry": ["C99"]}}, "invalid_filter",
         ["body", "filters", "industry"]),
        ({"need": NEED, "filters": {"colour": ["红"]}}, "extra_forbidden",
         ["body", "filters", "colour"]),
    ],
)  # fmt: skip
def test_validation_errors_in_the_one_body(
    world: LibraryApp, body: dict[str, Any], code: str, loc: list[str]
) -> None:
    answer = match(world, 422, **body)
    assert error_types(answer) == [code]
    assert answer["detail"][0]["loc"] == loc


def test_unknown_ranking_config_is_refused(world: LibraryApp) -> None:
    answer = match(world, 422, need=NEED, config="no-such-config")
    assert error_types(answer) == ["unknown_ranking_config"]
    assert "no-such-config" in answer["detail"][0]["msg"]


def test_a_named_ranking_config_is_used(
    world: LibraryApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "lexical.yaml").write_text(
        "name: lexical\nmatch:\n  use_dense: false\n", encoding="utf-8"
    )
    monkeypatch.setattr("api.ranking.config_dir", lambda: tmp_path)
    body = match(world, need=NEED, config="lexical")
    assert body["config"] == "lexical"
    assert {r["name"] for r in body["results"][0]["retrievers"]} == {"bm25"}
    (tmp_path / "broken.yaml").write_text("match:\n  fusion: magic\n", encoding="utf-8")
    assert error_types(match(world, 422, need=NEED, config="broken")) == ["ranking_config_invalid"]


def test_the_shipped_configurations_are_offered_and_load() -> None:
    from api.ranking import available_configs, ranking_config

    names = available_configs(config_dir())
    if (config_dir() / "default.yaml").is_file():
        assert "default" in names
    assert "sweep" not in names  # a sweep definition is not a ranking configuration
    for name in names:
        assert ranking_config(name) is not None


def test_a_configuration_needing_another_index_is_refused(
    world: LibraryApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "bge.yaml").write_text("model: BAAI/bge-small-zh-v1.5\n", encoding="utf-8")
    monkeypatch.setattr("api.ranking.config_dir", lambda: tmp_path)
    answer = match(world, 422, need=NEED, config="bge")
    assert error_types(answer) == ["ranking_config_needs_other_index"]


def test_readiness_includes_the_index(world: LibraryApp) -> None:
    body = world.client.get("/ready").json()
    assert body["checks"]["index"]["status"] == "ok"
    assert "4 项资源" in body["checks"]["index"]["detail"]
