"""Covering aspects with complementary resources, by hand; and a bundle on the small library."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pytest

from matcher import hybrid
from matcher.aspects import Aspect, NeedAspects, split_need
from matcher.bundle import (
    COVER_SHARE,
    RankAspects,
    aspect_queries,
    aspect_weights,
    cover_need,
    greedy_cover,
)
from matcher.confidence import ConfidenceConfig
from matcher.config import MatchConfig
from matcher.errors import InvalidInput
from matcher.hybrid import HybridMatcher
from matcher.ranking import Ranker
from matcher.testing import KeywordEncoder
from matcher.tokenizer import Tokenizer
from matcher.types import ResourceMatch

from . import library

# Keyword cosines live in [0, 1]: the dense signal spans all of it (as in test_hybrid).
CONFIDENCE = ConfidenceConfig(
    dense_floor=0.0, dense_ceiling=1.0, dense_weight=0.5, min_confidence=0.35
)
CFG = MatchConfig(confidence=CONFIDENCE)


@pytest.fixture()
def matcher(tokenizer: Tokenizer) -> HybridMatcher:
    built = HybridMatcher(tokenizer=tokenizer, encoder=library.encoder(), config=CFG)
    built.add_documents(library.documents())
    return built


def match(rid: str, score: float, confidence: float) -> ResourceMatch:
    return ResourceMatch(resource_id=rid, score=score, confidence=confidence)


def test_greedy_cover_prefers_a_resource_that_covers_two_aspects() -> None:
    coverage = [{"R1": 0.9, "R4": 0.6}, {"R2": 0.8, "R4": 0.7}, {"R3": 0.7}]
    # Gains: R1 0.9, R4 0.6 + 0.7 = 1.3, R2 0.8, R3 0.7 -> R4 covers aspects 0 and 1; then R3.
    parts, uncovered = greedy_cover(coverage, max_parts=5)
    assert parts == [("R4", (0, 1)), ("R3", (2,))]
    assert uncovered == ()


def test_greedy_cover_reports_aspects_nobody_covers() -> None:
    parts, uncovered = greedy_cover([{}, {"R1": 0.5}], max_parts=5)
    assert parts == [("R1", (1,))]
    assert uncovered == (0,)


def test_greedy_cover_respects_the_part_limit() -> None:
    coverage = [{"R1": 0.9, "R4": 0.6}, {"R2": 0.8, "R4": 0.7}, {"R3": 0.7}]
    parts, uncovered = greedy_cover(coverage, max_parts=1)
    assert parts == [("R4", (0, 1))]
    assert uncovered == (2,)


def test_greedy_cover_ties_go_to_total_weight_then_first_seen() -> None:
    # Aspect 0: A and B gain 0.5 each; B also matches aspect 1 (covered first by C at 0.9).
    coverage = [{"A": 0.5, "B": 0.5}, {"C": 0.9, "B": 0.2}]
    parts, _ = greedy_cover(coverage, max_parts=5)
    # Step 1: C 0.9 > B 0.7 > A 0.5. Step 2: A and B gain 0.5; B has more total weight.
    assert parts == [("C", (1,)), ("B", (0,))]


def test_weights_are_score_position_times_confidence_relative_to_the_best() -> None:
    matches = [match("A", 4.0, 0.9), match("B", 3.0, 0.3), match("C", 2.0, 0.8), match("D", 0, 1)]
    # Scores min-max over [0, 4]: A 1, B 0.75, C 0.5, D 0. Quality = that x confidence:
    # A 0.9, B 0.225 (not confident at 0.45), C 0.4, D 0; relative to A: C 0.4 / 0.9.
    assert aspect_weights(matches, min_confidence=0.45, share=0.7) == {"A": 1.0}
    assert aspect_weights(matches, min_confidence=0.45, share=0.4) == pytest.approx(
        {"A": 1.0, "C": 0.4 / 0.9}
    )
    assert aspect_weights(matches, min_confidence=0.2, share=0.2) == pytest.approx(
        {"A": 1.0, "B": 0.25, "C": 0.4 / 0.9}
    )


def test_the_best_by_score_need_not_be_the_best_by_weight() -> None:
    # A ranks first but on weak evidence: A 1 x 0.5 = 0.5, C 0.75 x 0.9 = 0.675 (the best).
    matches = [match("A", 4.0, 0.5), match("C", 3.0, 0.9), match("Z", 0.0, 0.9)]
    assert aspect_weights(matches, min_confidence=0.45) == pytest.approx(
        {"C": 1.0, "A": 0.5 / 0.675}
    )
    assert aspect_weights([match("A", -1.0, 0.5)], min_confidence=0.45) == {"A": 1.0}
    assert aspect_weights([match("A", 1.0, 0.3)], min_confidence=0.45) == {}
    assert aspect_weights([], min_confidence=0.45) == {}


def fake_rank(table: Mapping[str, list[ResourceMatch]], calls: list[list[str]]) -> RankAspects:
    def rank(texts: Sequence[str]) -> list[Sequence[ResourceMatch]]:
        calls.append(list(texts))
        return [table[t] for t in texts]

    return rank


def test_specialists_beat_a_generalist_that_is_far_from_best_on_both_aspects() -> None:
    table = {
        "视觉检测": [match("S1", 10, 0.9), match("G", 6, 0.9), match("X", 2, 0.5)],
        "MES": [match("S2", 10, 0.9), match("G", 6, 0.9), match("Y", 2, 0.5)],
    }
    need = NeedAspects((), (Aspect("视觉检测", 0), Aspect("MES", 1)))
    bundle = cover_need(need, rank=fake_rank(table, []), min_confidence=0.45, max_parts=5)
    # G: (6 - 2) / (10 - 2) x 0.9 = 0.45, half of S1's and S2's 0.9: it covers neither.
    assert [(p.match.resource_id, p.aspects) for p in bundle.parts] == [("S1", (0,)), ("S2", (1,))]
    table["MES"][1] = match("G", 9, 0.95)  # now (9 - 2) / 8 = 0.875 on MES
    table["视觉检测"][1] = match("G", 9, 0.8)
    bundle = cover_need(need, rank=fake_rank(table, []), min_confidence=0.45, max_parts=5)
    # G: 0.875 x 0.8 / 0.9 = 0.78 and 0.875 x 0.95 / 0.9 = 0.92 ≥ 0.7; it gains 1.70 > 1:
    # one resource for both aspects (Art.5 综合赋能), shown with its more confident match.
    assert [(p.match.resource_id, p.aspects) for p in bundle.parts] == [("G", (0, 1))]
    assert bundle.parts[0].match.confidence == 0.95 and bundle.uncovered == ()


def test_an_aspect_nothing_matches_confidently_joins_its_neighbour() -> None:
    table = {
        "手板": [match("P", 5, 0.9)],
        "高低温": [match("Z", 5, 0.2)],
        "盐雾试验": [match("T", 5, 0.6)],
        "高低温、盐雾试验": [match("T", 7, 0.9), match("Z", 1, 0.2)],
    }
    need = NeedAspects((), (Aspect("手板", 0), Aspect("高低温", 1), Aspect("盐雾试验", 1)))
    calls: list[list[str]] = []
    bundle = cover_need(need, rank=fake_rank(table, calls), min_confidence=0.45, max_parts=5)
    assert calls == [["手板", "高低温", "盐雾试验"], ["高低温、盐雾试验"]]
    assert bundle.aspects == ("手板", "高低温、盐雾试验")
    assert [(p.match.resource_id, p.aspects) for p in bundle.parts] == [("P", (0,)), ("T", (1,))]
    # Alone in its clause, a weak aspect stays and is reported uncovered.
    alone = NeedAspects((), (Aspect("手板", 0), Aspect("高低温", 1)))
    bundle = cover_need(alone, rank=fake_rank(table, []), min_confidence=0.45, max_parts=5)
    assert bundle.aspects == ("手板", "高低温") and bundle.uncovered == (1,)


def test_aspect_queries_keep_the_aspect_terms_and_read_the_context_densely(
    tokenizer: Tokenizer,
) -> None:
    encoder = KeywordEncoder(["注塑", "MES", "直播"])
    need = split_need("注塑车间：上线MES、做直播")
    assert need.context == ("注塑车间",)
    queries = aspect_queries(
        need, need.texts(), tokenizer=tokenizer, encoder=encoder, use_dense=True
    )
    assert queries[0].terms == tokenizer.terms("上线MES")
    # "注塑车间：上线MES" holds two keywords: the vector is (注塑 + MES) / √2.
    assert queries[0].vector.tolist() == pytest.approx([2**-0.5, 2**-0.5, 0, 0, 0])
    flat = aspect_queries(need, ["做直播"], tokenizer=tokenizer, encoder=encoder, use_dense=False)
    assert not flat[0].vector.any()


def test_a_bundle_covers_each_aspect_with_a_complementary_resource(matcher: HybridMatcher) -> None:
    need = "我们是东莞的注塑厂，想用机器视觉做缺陷检测，同时上线MES系统，并通过跨境电商拓展海外市场"
    bundle = matcher.match_bundle(need)
    assert bundle.aspects == ("想用机器视觉做缺陷检测", "上线MES系统", "通过跨境电商拓展海外市场")
    covered = {part.match.resource_id: part.aspects for part in bundle.parts}
    assert covered["R-VIS"] == (0,) and covered["R-XB"] == (2,)
    assert covered.get("R-MES", covered.get("R-ERP")) == (1,)
    assert bundle.uncovered == ()
    assert all(p.match.confidence >= CFG.confidence.min_confidence for p in bundle.parts)


def test_a_need_with_nothing_to_split_is_one_aspect_and_an_empty_one_has_none(
    matcher: HybridMatcher,
) -> None:
    bundle = matcher.match_bundle("东莞一家注塑厂")  # only context: the whole need is the ask
    assert bundle.aspects == ("东莞一家注塑厂",)
    assert matcher.match_bundle("，，的了？").aspects == ()


def test_aspects_are_ranked_in_plain_order_with_weak_matches_listed(
    matcher: HybridMatcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[MatchConfig] = []
    ranker_of = matcher._ranker

    def spy(config: MatchConfig) -> Ranker:
        seen.append(config)
        return ranker_of(config)

    monkeypatch.setattr(matcher, "_ranker", spy)
    diversified = MatchConfig(mmr_lambda=0.5, confidence=CONFIDENCE, bundle_depth=7)
    bundle = matcher.match_bundle("想用机器视觉做缺陷检测，并做直播带货", config=diversified)
    # MMR would drop a provider's second resource and the caller's list would drop weak
    # matches: both would change the score range the weights are normalised over.
    assert seen and all(c.mmr_lambda is None and c.confidence.keep_low_confidence for c in seen)
    assert all(c.bundle_depth == 7 and c.confidence.min_confidence == 0.35 for c in seen)
    assert [p.match.resource_id for p in bundle.parts] == ["R-VIS", "R-LIVE"]


def test_the_cover_share_decides_who_covers_an_aspect() -> None:
    run = [match("S1", 10, 0.9), match("G", 6, 0.9), match("X", 2, 0.5)]
    # G: (6 - 2) / (10 - 2) x 0.9 = 0.45, half of S1's 0.9.
    assert aspect_weights(run, min_confidence=0.45) == {"S1": 1.0}
    assert aspect_weights(run, min_confidence=0.45, share=0.5) == {"S1": 1.0, "G": 0.5}
    assert MatchConfig().bundle_cover_share == COVER_SHARE
    for wrong in (0.0, 1.5):
        with pytest.raises(InvalidInput):
            MatchConfig(bundle_cover_share=wrong)


def test_match_bundle_passes_the_configured_share(
    matcher: HybridMatcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[float] = []
    real = hybrid.cover_need

    def spy(*args: object, share: float, **kwargs: object) -> object:
        seen.append(share)
        return real(*args, share=share, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(hybrid, "cover_need", spy)
    matcher.match_bundle(
        "想用机器视觉做缺陷检测，并做直播带货", config=MatchConfig(bundle_cover_share=0.8)
    )
    matcher.match_bundle("想用机器视觉做缺陷检测，并做直播带货")
    assert seen == [0.8, matcher.config.bundle_cover_share]
