"""Splitting a need into aspects and covering them with complementary resources, by hand."""

from __future__ import annotations

from matcher.bundle import greedy_cover, split_aspects


def test_split_at_clauses_conjunctions_and_enumeration_commas() -> None:
    need = (
        "我们是东莞的注塑厂，想用机器视觉做外观缺陷检测，"
        "同时上线MES系统，并通过跨境电商拓展海外市场"
    )
    assert split_aspects(need) == [
        "想用机器视觉做外观缺陷检测",
        "上线MES系统",
        "通过跨境电商拓展海外市场",
    ]
    assert split_aspects("数字孪生、能耗管理以及品牌策划？") == ["数字孪生", "能耗管理", "品牌策划"]
    assert split_aspects("需要ERP和WMS；另外做直播电商") == ["需要ERP", "WMS", "做直播电商"]


def test_conjunction_characters_inside_words_do_not_split() -> None:
    assert split_aspects("要求及时交付并行工程") == ["要求及时交付并行工程"]
    assert split_aspects("和谐劳动关系与总和成本") == ["和谐劳动关系与总和成本"]


def test_pieces_without_content_and_repeats_are_dropped() -> None:
    keep = lambda piece: piece not in {"谢谢", "麻烦了"}  # noqa: E731
    assert split_aspects("MES，，谢谢！MES；麻烦了", keep=keep) == ["MES"]


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
