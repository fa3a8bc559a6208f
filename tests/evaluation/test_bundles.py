"""Bundle figures worked out by hand; the bundles of the unit golden set's multi-aspect needs."""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluation.bundles import (
    BundleScore,
    IndexWords,
    NeedBundle,
    Words,
    bundle_blocks,
    bundle_needs,
    bundles_json,
    evaluate_bundles,
    score_bundle,
    summarise,
)
from evaluation.configuration import EvalConfig
from evaluation.report.blocks import to_markdown
from tests.evaluation.world import make_harness, unit_golden

BUNDLE = NeedBundle(
    query_id="Q1",
    aspects=("机器视觉检测", "上线MES", "跨境电商", "预算两百万"),
    parts=(("R1", (0,)), ("R2", (1,)), ("R9", (2,))),
    uncovered=(3,),
)
JUDGED = {"R1": 3, "R2": 1, "R3": 2, "R4": 2}  # R9 unjudged; relevant: R1, R3, R4


def words_table(table: dict[tuple[str, str], float]) -> Words:
    return lambda aspect, rid: table.get((aspect, rid), 0.0)


def test_precision_recall_and_missed_aspects_by_hand() -> None:
    words = words_table({("预算两百万", "R4"): 0.5, ("预算两百万", "R2"): 1.0})
    score = score_bundle(BUNDLE, judged=JUDGED, max_parts=5, words=words)
    # 1 of 3 parts relevant (R1); 1 of min(3 relevant, 5) found; R9 was never judged.
    assert score.precision == pytest.approx(1 / 3)
    assert score.recall == pytest.approx(1 / 3)
    assert (score.parts, score.relevant_parts, score.unjudged_parts) == (3, 1, 1)
    # Aspect 3 is uncovered and relevant R4 holds half its words (R2 holds all, but grade 1).
    assert (score.aspects, score.uncovered, score.missed) == (4, 1, (3,))


def test_recall_is_capped_by_the_part_limit_and_words_below_the_share_are_no_miss() -> None:
    words = words_table({("预算两百万", "R4"): 0.49})
    score = score_bundle(BUNDLE, judged=JUDGED, max_parts=2, words=words)
    assert score.recall == pytest.approx(1 / 2)  # 1 of min(3, 2)
    assert score.missed == ()


def test_an_empty_bundle_has_no_precision_and_no_recall() -> None:
    empty = NeedBundle("Q2", ("直播",), (), (0,))
    score = score_bundle(empty, judged={"R1": 2}, max_parts=5, words=words_table({}))
    assert score.precision is None and score.recall == 0.0
    assert score.uncovered == 1 and score.missed == ()


def test_summary_averages_needs_and_pools_aspects() -> None:
    a = BundleScore("A", 2, 2, 0, 1.0, 1.0, 3, 0, ())
    b = BundleScore("B", 4, 1, 1, 0.25, 0.5, 5, 2, (1,))
    c = BundleScore("C", 0, 0, 0, None, 0.0, 2, 2, (0, 1))
    summary = summarise([a, b, c], seconds=[0.010, 0.030, 0.020])
    assert summary.precision == pytest.approx((1.0 + 0.25) / 2)  # the empty bundle has none
    assert summary.recall == pytest.approx(1.5 / 3)
    assert summary.relevant_parts == pytest.approx(1.0) and summary.parts == pytest.approx(2.0)
    assert (summary.empty, summary.unjudged_parts) == (1, 1)
    assert (summary.aspects, summary.uncovered, summary.missed) == (10, 4, 3)
    assert summary.uncovered_rate == pytest.approx(0.4)
    assert summary.missed_rate == pytest.approx(0.3)
    assert summary.median_ms == pytest.approx(20.0)
    assert summarise([]).precision is None and summarise([]).missed_rate is None


def test_index_words_weighs_the_aspect_terms_by_idf() -> None:
    matcher = make_harness().pool.matcher(EvalConfig(name="x"))
    words = IndexWords(matcher)
    assert words("机器视觉缺陷检测", "AI-001") == pytest.approx(1.0)
    assert words("直播带货", "AI-001") == 0.0
    assert words("机器视觉", "no-such-resource") == 0.0
    terms = matcher.tokenizer.terms("机器视觉 直播")
    idf = matcher.bm25.term_idf(terms)
    found = sum(idf[t] for t in terms if t != "直播")
    assert words("机器视觉 直播", "AI-001") == pytest.approx(found / sum(idf.values()))


def test_the_multi_aspect_needs_of_the_unit_set_are_bundled_and_scored(tmp_path: Path) -> None:
    harness = make_harness()
    config = EvalConfig(name="x")
    golden = unit_golden()
    assert bundle_needs(golden).query_ids() == ["U04", "U10"]
    evaluation = evaluate_bundles(
        name="x", matcher=harness.pool.matcher(config), golden=golden, config=config.match
    )
    u04 = evaluation.bundles["U04"]
    assert u04.aspects == ("跨境电商开店", "顺便做直播带货")
    assert u04.parts == (("MK-001", (0,)), ("MK-002", (1,)))
    assert evaluation.scores["U04"].precision == 1.0 and evaluation.scores["U04"].recall == 1.0
    # U10 is one aspect answered by MF-002 (grade 3); MF-001 (grade 2) is not in the bundle.
    assert evaluation.scores["U10"].recall == pytest.approx(0.5)
    assert evaluation.summary.needs == 2 and evaluation.summary.recall == pytest.approx(0.75)
    markdown = to_markdown(
        "t", bundle_blocks([evaluation], golden=golden, titles={}, command="funeng eval bundles")
    )
    assert "MK-002（2）" in markdown and "U10" in markdown
    data = bundles_json([evaluation])
    assert data["x"]["summary"]["missed_rate"] == 0.0
    assert data["x"]["needs"]["U04"]["score"]["relevant_parts"] == 2
