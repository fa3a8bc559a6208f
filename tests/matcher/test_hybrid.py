"""The hybrid matcher end to end on a small library, with the keyword fake encoder."""

from __future__ import annotations

import dataclasses
import random
import threading
from pathlib import Path

import pytest

from matcher.aggregate import aggregate, apply_priors
from matcher.confidence import ConfidenceConfig
from matcher.config import MatchConfig
from matcher.errors import IndexMismatch, InvalidInput
from matcher.fusion import fuse
from matcher.hybrid import HybridMatcher
from matcher.testing import KeywordEncoder
from matcher.tokenizer import Tokenizer
from matcher.types import FACETS, Filters, Hit, MatchResponse

from . import library

# Keyword cosines live in [0, 1]: the dense signal spans all of it.
CFG = MatchConfig(
    confidence=ConfidenceConfig(
        dense_floor=0.0, dense_ceiling=1.0, dense_weight=0.5, min_confidence=0.35
    )
)
NEED = "我们是东莞的注塑厂，想用机器视觉做外观缺陷检测"


def build(tokenizer: Tokenizer, **kwargs: object) -> HybridMatcher:
    matcher = HybridMatcher(tokenizer=tokenizer, encoder=library.encoder(), config=CFG)
    matcher.add_documents(library.documents(**kwargs))  # type: ignore[arg-type]
    return matcher


@pytest.fixture()
def matcher(tokenizer: Tokenizer) -> HybridMatcher:
    return build(tokenizer)


def test_the_need_of_the_issue_finds_the_vision_resource_with_reasons(
    matcher: HybridMatcher,
) -> None:
    response = matcher.match(NEED, k=5)
    assert not response.no_suitable_resource and response.reason == "ok"
    top = response.matches[0]
    assert top.resource_id == "R-VIS"
    assert {(e.name, e.rank) for e in top.retrievers} == {("bm25", 1), ("dense", 1)}
    assert top.evidence_doc_id == "R-VIS/case-1"  # the injection-moulding plant in Dongguan
    assert 0.35 <= top.confidence <= 1.0
    resource = matcher.corpus.docs["R-VIS"]
    fields = dict(resource.display_fields())
    assert {"机器视觉", "缺陷检测", "外观缺陷"} <= {m.term for m in top.matched_terms}
    for m in top.matched_terms:
        assert fields[m.field][m.start : m.end] == m.term
    case_fields = dict(matcher.corpus.docs["R-VIS/case-1"].display_fields())
    assert {"东莞", "注塑", "机器视觉"} <= {m.term for m in top.evidence_terms}
    for m in top.evidence_terms:
        assert case_fields[m.field][m.start : m.end] == m.term


def test_the_query_is_encoded_once(matcher: HybridMatcher) -> None:
    encoder = matcher.encoder
    assert isinstance(encoder, KeywordEncoder)
    before = encoder.calls
    matcher.match(NEED, k=3)
    assert encoder.calls == before + 1
    matcher.match(NEED, k=3, config=MatchConfig(use_dense=False))
    assert encoder.calls == before + 1  # dense off: nothing to encode


def test_a_resource_found_only_through_a_case(matcher: HybridMatcher) -> None:
    # No keyword of the fake encoder: only the lexical side can be confident here.
    loose = MatchConfig(confidence=ConfidenceConfig(min_confidence=0.0))
    response = matcher.match("汕头玩具企业搭建独立站", k=3, config=loose)
    top = response.matches[0]
    assert top.resource_id == "R-XB" and top.evidence_doc_id == "R-XB/case-2"


def _oracle(matcher: HybridMatcher, query: str, filters: Filters, cfg: MatchConfig) -> list[str]:
    """Brute force: rank everything unfiltered, then keep the allowed documents."""
    docs = matcher.corpus.docs
    facets = {d.resource_id: d.facets for d in docs.values() if d.kind == "resource"}
    allowed = {d for d, doc in docs.items() if filters.allows(facets[doc.resource_id])}
    terms = matcher.tokenizer.terms(query)
    vector = matcher.encoder.encode_queries([query])[0]
    everything = len(docs)
    runs = [
        matcher.bm25.search(terms, everything) if terms else [],
        matcher.dense.search(vector, everything),
    ]
    kept = []
    for run, depth in zip(runs, (cfg.bm25_depth, cfg.dense_depth), strict=True):
        hits = [h for h in run if h.doc_id in allowed][:depth]
        kept.append([Hit(h.doc_id, h.score, r) for r, h in enumerate(hits, start=1)])
    fused = fuse(kept, method=cfg.fusion, weights=[1.0, 1.0], normalisation=cfg.normalisation)
    scored = aggregate(fused, docs=docs, method=cfg.case_aggregation)
    priors = {r.resource_id: matcher.corpus.prior(r.resource_id) for r in scored}
    return [r.resource_id for r in apply_priors(scored, priors)]


@pytest.mark.parametrize("fusion", ["rrf", "score"])
def test_filters_never_return_outside_and_never_lose_inside(
    matcher: HybridMatcher, fusion: str
) -> None:
    rng = random.Random(17)
    docs = list(matcher.corpus.docs.values())
    values = {f: sorted({v for d in docs for v in d.facets.get(f, ())}) for f in FACETS}
    # Shallow retrieval makes post-filtering lose documents; pre-filtering must not.
    cfg = MatchConfig(
        fusion=fusion,  # type: ignore[arg-type]
        bm25_depth=3,
        dense_depth=3,
        confidence=ConfidenceConfig(min_confidence=0.0, keep_low_confidence=True),
    )
    queries = [NEED, "MES排程与质量追溯", "海外市场 跨境电商 直播", "能耗 数字孪生", "品牌"]
    checked = 0
    for _ in range(60):
        chosen = {
            f: rng.sample(vals, min(len(vals), rng.randint(1, 2)))
            + (["不存在"] if rng.random() < 0.1 else [])
            for f, vals in values.items()
            if vals and rng.random() < 0.35
        }
        filters = Filters.of(**chosen)
        query = rng.choice(queries)
        got = [
            m.resource_id for m in matcher.match(query, k=20, filters=filters, config=cfg).matches
        ]
        for resource_id in got:
            assert filters.allows(matcher.corpus.docs[resource_id].facets)
        assert got == _oracle(matcher, query, filters, cfg)[:20]
        checked += bool(got)
    assert checked > 15  # the random filters are not all empty-handed


def test_removed_resources_vanish_and_updates_apply(matcher: HybridMatcher) -> None:
    assert matcher.match(NEED, k=1).matches[0].resource_id == "R-VIS"
    assert matcher.remove_resource("R-VIS") == 3
    response = matcher.match(
        NEED, k=10, config=MatchConfig(confidence=ConfidenceConfig(min_confidence=0))
    )
    assert "R-VIS" not in {m.resource_id for m in response.matches}
    assert matcher.bm25.n_docs == matcher.dense.n_docs == matcher.n_documents
    # A changed resource document (moved to another city) is filtered by its new facets.
    old = matcher.corpus.docs["R-PM"]
    moved = dataclasses.replace(old, facets={**old.facets, "city": ("湛江市",)})
    matcher.add_documents([moved])
    in_dongguan = matcher.match("预测性维护", k=5, filters=Filters.of(city="东莞市"))
    assert "R-PM" not in {m.resource_id for m in in_dongguan.matches}
    in_zhanjiang = matcher.match("预测性维护", k=5, filters=Filters.of(city="湛江市"))
    assert [m.resource_id for m in in_zhanjiang.matches] == ["R-PM"]


def test_a_warned_resource_is_demoted_and_flagged(tokenizer: Tokenizer) -> None:
    plain = build(tokenizer).match("MES系统", k=3)
    first, second = (m.resource_id for m in plain.matches[:2])
    assert {first, second} == {"R-MES", "R-ERP"}
    warned = build(tokenizer, warned=frozenset({first})).match("MES系统", k=3)
    assert [m.resource_id for m in warned.matches[:2]] == [second, first]
    assert warned.matches[1].flags == ("warned",) and plain.matches[0].flags == ()
    assert warned.matches[1].score == pytest.approx(plain.matches[0].score * 0.5)


def test_an_off_topic_need_gets_no_suitable_resource(matcher: HybridMatcher) -> None:
    response = matcher.match("想订一张去北京出差的机票和酒店", k=5)
    assert response == MatchResponse(matches=(), no_suitable_resource=True, reason="low_confidence")
    keep = MatchConfig(
        confidence=ConfidenceConfig(dense_floor=0.0, dense_ceiling=1.0, keep_low_confidence=True)
    )
    closest = matcher.match("想订一张去北京出差的机票和酒店", k=5, config=keep)
    assert closest.no_suitable_resource and closest.matches
    assert all("low_confidence" in m.flags for m in closest.matches)
    assert all(m.confidence < 0.35 for m in closest.matches)


def test_an_empty_need_is_answered_as_such(matcher: HybridMatcher) -> None:
    response = matcher.match("，，的了？", k=5)
    assert response.no_suitable_resource and response.reason == "empty_query"
    with pytest.raises(InvalidInput):
        matcher.match(NEED, k=0)


def test_a_filter_nobody_passes_finds_no_candidates(matcher: HybridMatcher) -> None:
    response = matcher.match(NEED, k=5, filters=Filters.of(city="云浮市"))
    assert response.no_suitable_resource and response.reason == "no_candidates"


def test_mmr_shortlist_holds_one_resource_per_provider_unless_asked(
    matcher: HybridMatcher,
) -> None:
    loose = ConfidenceConfig(min_confidence=0.0)
    diverse = matcher.match(
        "MES ERP 排程", k=4, config=MatchConfig(mmr_lambda=0.7, confidence=loose)
    )
    providers = [matcher.corpus.docs[m.resource_id].provider_id for m in diverse.matches]
    assert len(providers) == len(set(providers))
    assert len({"R-MES", "R-ERP"} & {m.resource_id for m in diverse.matches}) == 1
    allowed = matcher.match(
        "MES ERP 排程",
        k=4,
        config=MatchConfig(mmr_lambda=0.7, allow_same_provider=True, confidence=loose),
    )
    assert {"R-MES", "R-ERP"} <= {m.resource_id for m in allowed.matches}


def test_a_bundle_covers_each_aspect_with_a_complementary_resource(matcher: HybridMatcher) -> None:
    need = "我们是东莞的注塑厂，想用机器视觉做缺陷检测，同时上线MES系统，并通过跨境电商拓展海外市场"
    bundle = matcher.match_bundle(need)
    assert bundle.aspects == ("想用机器视觉做缺陷检测", "上线MES系统", "通过跨境电商拓展海外市场")
    covered = {part.match.resource_id: part.aspects for part in bundle.parts}
    assert covered["R-VIS"] == (0,) and covered["R-XB"] == (2,)
    assert covered.get("R-MES", covered.get("R-ERP")) == (1,)
    assert bundle.uncovered == ()


def test_documents_and_facet_values_can_be_read(matcher: HybridMatcher) -> None:
    assert matcher.document("R-XB/case-2") is not None
    assert matcher.document("nope") is None
    values = matcher.facet_values()
    assert values["city"] == ["东莞市", "佛山市", "广州市", "惠州市", "深圳市"]
    assert values["status"] == ["certified"]
    matcher.remove_resource("R-WMS")  # the only resource in 惠州市
    assert "惠州市" not in matcher.facet_values()["city"]


def test_retrievers_can_be_used_alone(matcher: HybridMatcher) -> None:
    bm25_only = matcher.match(NEED, k=3, config=MatchConfig(use_dense=False))
    assert {e.name for m in bm25_only.matches for e in m.retrievers} == {"bm25"}
    hits = matcher.search_bm25("跨境电商", 5, Filters.of(city="深圳市"))
    assert hits and all(
        matcher.corpus.docs[h.doc_id].resource_id in {"R-XB", "R-LIVE", "R-DT"} for h in hits
    )
    dense = matcher.search_dense("跨境电商", 5, Filters.of(direction="市场销售"))
    assert {matcher.corpus.docs[h.doc_id].resource_id for h in dense} == {"R-XB", "R-LIVE"}


def test_save_and_load_give_identical_results(matcher: HybridMatcher, tmp_path: Path) -> None:
    matcher.remove_documents(["R-EN/case-1"])
    matcher.save(tmp_path / "snapshot")
    loaded = HybridMatcher.load(
        tmp_path / "snapshot", encoder=matcher.encoder, tokenizer=matcher.tokenizer, config=CFG
    )
    assert loaded.n_documents == matcher.n_documents
    for query in (NEED, "MES排程", "能耗管理", "品牌策划 直播"):
        for filters in (None, Filters.of(city=["广州市", "深圳市"]), Filters.of(form="标准化产品")):
            assert loaded.match(query, k=5, filters=filters) == matcher.match(
                query, k=5, filters=filters
            )
    assert loaded.match_bundle(NEED + "，同时上线MES") == matcher.match_bundle(
        NEED + "，同时上线MES"
    )
    loaded.remove_resource("R-MES")  # still incremental after a load
    assert "R-MES" not in {m.resource_id for m in loaded.match("MES", k=5).matches}


def test_load_refuses_another_model_or_dictionary(
    matcher: HybridMatcher, tokenizer: Tokenizer, changed_tokenizer: Tokenizer, tmp_path: Path
) -> None:
    matcher.save(tmp_path)
    other_model = KeywordEncoder(library.KEYWORDS, model_id="another-model")
    with pytest.raises(IndexMismatch):
        HybridMatcher.load(tmp_path, encoder=other_model, tokenizer=tokenizer)
    bigger = KeywordEncoder((*library.KEYWORDS, "新词"))
    with pytest.raises(IndexMismatch):
        HybridMatcher.load(tmp_path, encoder=bigger, tokenizer=tokenizer)
    with pytest.raises(IndexMismatch):
        HybridMatcher.load(tmp_path, encoder=matcher.encoder, tokenizer=changed_tokenizer)


def test_a_resource_has_one_resource_document(matcher: HybridMatcher) -> None:
    second = dataclasses.replace(matcher.corpus.docs["R-MES"], doc_id="R-MES-bis")
    with pytest.raises(InvalidInput):
        matcher.add_documents([second])
    assert matcher.n_documents == len(library.documents())
    matcher.remove_documents(["R-MES"])
    matcher.add_documents([second])  # after removing the first one it is fine
    assert matcher.corpus.resource_document("R-MES") == second


def test_precomputed_vectors_skip_encoding(tokenizer: Tokenizer) -> None:
    encoder = library.encoder()
    docs = library.documents()
    vectors = encoder.encode_passages([d.text for d in docs])
    matcher = HybridMatcher(tokenizer=tokenizer, encoder=encoder, config=CFG)
    before = encoder.calls
    matcher.add_documents(docs, vectors=vectors)
    assert encoder.calls == before
    with pytest.raises(InvalidInput):
        matcher.add_documents(docs[:2], vectors=vectors[:1])


def test_searches_during_changes_never_fail_or_see_a_removed_resource(
    matcher: HybridMatcher,
) -> None:
    docs = [d for d in library.documents() if d.resource_id == "R-VIS"]
    errors: list[Exception] = []
    stop = threading.Event()

    def search() -> None:
        while not stop.is_set():
            try:
                matcher.match(NEED, k=5)
            except Exception as exc:
                errors.append(exc)
                return

    readers = [threading.Thread(target=search) for _ in range(3)]
    for reader in readers:
        reader.start()
    for _ in range(30):
        matcher.remove_resource("R-VIS")
        matcher.add_documents(docs)
    matcher.remove_resource("R-VIS")
    after = matcher.match(
        NEED, k=10, config=MatchConfig(confidence=ConfidenceConfig(min_confidence=0))
    )
    stop.set()
    for reader in readers:
        reader.join()
    assert errors == []
    assert "R-VIS" not in {m.resource_id for m in after.matches}
