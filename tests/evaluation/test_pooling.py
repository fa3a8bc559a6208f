"""Judging pools (union of systems' tops, shuffled by need, judged pairs left out) and the
judges' record turned into qrels (latest line wins)."""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluation.configuration import CONFIG_DIR, EvalConfig, load_config
from evaluation.errors import GoldenSetInvalid
from evaluation.harness import Harness
from evaluation.judgments_file import judged_pairs, merged_qrels, read_judgments
from evaluation.pooling import SHEET_HEADER, build_pools, shuffled, write_sheet
from tests.evaluation.world import make_harness, unit_golden


@pytest.fixture(scope="module")
def harness() -> Harness:
    return make_harness()


def test_a_pool_is_the_union_of_the_systems_tops(harness: Harness) -> None:
    golden = unit_golden()
    configs = [load_config(CONFIG_DIR / "bm25.yaml"), EvalConfig(name="hybrid")]
    pools = build_pools(queries=golden.queries, configs=configs, run=harness.run, depth=2)
    expected: set[str] = set()
    for config in configs:
        expected |= set(harness.run(config, golden.subset(["U02"])).lists()["U02"][:2])
    assert set(pools["U02"]) == expected
    assert pools["U02"] == shuffled("U02", sorted(expected))


def test_a_constrained_need_pools_its_filtered_and_unfiltered_runs(harness: Harness) -> None:
    golden = unit_golden().subset(["U07"])  # 机器视觉缺陷检测, city 深圳
    pools = build_pools(
        queries=golden.queries, configs=[EvalConfig(name="h")], run=harness.run, depth=1
    )
    assert set(pools["U07"]) == {"AI-001", "AI-002"}  # best anywhere (东莞), best in 深圳


def test_judged_pairs_are_left_out(harness: Harness) -> None:
    golden = unit_golden().subset(["U02"])
    config = [EvalConfig(name="h")]
    full = build_pools(queries=golden.queries, configs=config, run=harness.run, depth=3)
    rest = build_pools(
        queries=golden.queries, configs=config, run=harness.run, depth=3, judged={"U02": {"MF-001"}}
    )
    assert "MF-001" in full["U02"] and rest["U02"] == [c for c in full["U02"] if c != "MF-001"]


def test_the_order_depends_on_the_need_only() -> None:
    codes = [f"AI-{i:03d}" for i in range(30)]
    assert shuffled("N1", codes) == shuffled("N1", list(reversed(codes)))
    assert shuffled("N1", codes) != sorted(codes)
    assert shuffled("N1", codes) != shuffled("N2", codes)


def test_the_sheet_shows_no_system_names_ranks_or_scores(tmp_path: Path) -> None:
    golden = unit_golden().subset(["U01"])
    rows = write_sheet(
        tmp_path / "s.tsv", {"U01": ["AI-002", "AI-001"]}, golden.queries, {"AI-001": "视觉"}
    )
    lines = (tmp_path / "s.tsv").read_text(encoding="utf-8").splitlines()
    assert rows == 2 and lines[0].split("\t") == list(SHEET_HEADER)
    assert lines[1].split("\t") == ["U01", "AI-002", "", "", "注塑件外观缺陷检测"]
    assert lines[2].split("\t")[:4] == ["U01", "AI-001", "", "视觉"]


JUDGMENTS = """query_id\tresource_id\tgrade\tjudge\tjudged_at\tsource\tnote
N1\tAI-007\t3\tchen.li\t2026-02-10\tpool
N1\tCP-034\t2\tchen.li\t2026-02-10\tpool\t窑炉+展厅，无表面检测
N1\tAI-007\t1\twang.fang\t2026-02-12\tpool
N2\tRD-039\t1\twang.fang\t2026-02-11\tbrowse
N1\tCP-034\t3\tchen.li\t2026-02-09\tpool
"""


def test_a_judge_s_latest_grade_counts_and_judges_merge_by_lower_median(tmp_path: Path) -> None:
    path = tmp_path / "judgments.tsv"
    path.write_text(JUDGMENTS, encoding="utf-8")
    rows = read_judgments(path)
    assert len(rows) == 5 and rows[1].note == "窑炉+展厅，无表面检测"
    # AI-007: chen.li 3, wang.fang 1 -> lower median 1.
    # CP-034: chen.li alone, 3 on 02-09 then 2 on 02-10 -> 2.
    assert merged_qrels(rows) == {"N1": {"AI-007": 1, "CP-034": 2}, "N2": {"RD-039": 1}}
    rows.append(rows[0].__class__("N1", "AI-007", 2, "third", rows[0].judged_on, "pool"))
    assert merged_qrels(rows)["N1"]["AI-007"] == 2  # 3, 1, 2 -> median 2
    assert judged_pairs(rows) == {"N1": {"AI-007", "CP-034"}, "N2": {"RD-039"}}


def test_bad_judgment_lines_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "judgments.tsv"
    path.write_text("N1\tAI-007\t5\tchen\t2026-02-10\tpool\nN1\tAI-007\t1\tchen\t10/02\tpool\n"
                    "N1\tAI-007\t1\tchen\t2026-02-10\tguess\n", encoding="utf-8")  # fmt: skip
    with pytest.raises(GoldenSetInvalid) as caught:
        read_judgments(path)
    assert all(f"judgments.tsv:{n}" in caught.value.message for n in (1, 2, 3))
