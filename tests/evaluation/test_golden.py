"""Reading golden sets: both qrels layouts, filters checked, every problem reported by line."""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluation.errors import GoldenSetInvalid
from evaluation.golden import load_golden, read_qrels, read_queries, write_qrels
from matcher.types import Filters
from tests.evaluation.world import UNIT_GOLDEN, unit_golden


def test_the_unit_fixture_loads_with_filters_tags_and_trec_lines() -> None:
    golden = unit_golden()
    assert len(golden.queries) == 15
    u07 = next(q for q in golden.queries if q.query_id == "U07")
    assert u07.tags == ("constrained",)
    assert u07.match_filters() == Filters(city=frozenset({"深圳", "深圳市"}))
    assert golden.qrels["U22"] == {"MF-003": 3, "MF-004": 0}  # TREC four-column lines
    assert golden.qrels["U01"] == {"AI-001": 3, "AI-002": 1, "MF-002": 1}


def test_subset_keeps_file_order_and_copies_qrels() -> None:
    golden = unit_golden()
    part = golden.subset(["U03", "U01"], name="two")
    assert part.query_ids() == ["U01", "U03"]
    part.qrels["U01"]["AI-001"] = 0
    assert golden.qrels["U01"]["AI-001"] == 3


def test_qrels_round_trip(tmp_path: Path) -> None:
    qrels = read_qrels(UNIT_GOLDEN / "qrels.tsv")
    write_qrels(tmp_path / "qrels.tsv", qrels)
    assert read_qrels(tmp_path / "qrels.tsv") == qrels


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_bad_qrels_lines_are_all_reported(tmp_path: Path) -> None:
    path = write(
        tmp_path / "qrels.tsv",
        "q1\tA\t4\nq1\tB\n q1\tC\tx\nq1\tD\t2\nq1\tD\t1\n",
    )
    with pytest.raises(GoldenSetInvalid) as caught:
        read_qrels(path)
    message = caught.value.message
    assert "qrels.tsv:1" in message and "0–3" in message
    assert "qrels.tsv:2" in message and "3 列" in message
    assert "qrels.tsv:3" in message
    assert "qrels.tsv:5" in message and "重复评判" in message


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('{"query_id": "q1"}', "text"),
        ('{"query_id": "q 1", "text": "x"}', "query_id"),
        ('{"query_id": "q1", "text": "x", "extra": 1}', "未知字段"),
        ('{"query_id": "q1", "text": "x", "filters": {"colour": "red"}}', "未知的筛选项"),
        ('{"query_id": "q1", "text": "x", "filters": {"city": "火星"}}', "火星"),
        ('{"query_id": "q1", "text": "x", "filters": {"industry": ["C99"]}}', "C99"),
        ('{"query_id": "q1", "text": "x", "tags": ["Short"]}', "tags"),
        ("not json", "queries.jsonl:1"),
    ],
)
def test_bad_query_lines_are_refused(tmp_path: Path, line: str, expected: str) -> None:
    path = write(tmp_path / "queries.jsonl", line + "\n")
    with pytest.raises(GoldenSetInvalid) as caught:
        read_queries(path)
    assert expected in caught.value.message


def test_duplicate_query_ids_are_refused(tmp_path: Path) -> None:
    line = '{"query_id": "q1", "text": "注塑"}\n'
    with pytest.raises(GoldenSetInvalid, match="重复"):
        read_queries(write(tmp_path / "queries.jsonl", line * 2))


def test_every_need_must_be_judged_and_every_judgment_must_have_a_need(tmp_path: Path) -> None:
    write(tmp_path / "queries.jsonl", '{"query_id": "q1", "text": "注塑"}\n')
    write(tmp_path / "qrels.tsv", "q2\tA\t1\n")
    with pytest.raises(GoldenSetInvalid) as caught:
        load_golden(tmp_path)
    assert "q2 不在" in caught.value.message
    assert "q1 没有任何评判" in caught.value.message


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(GoldenSetInvalid) as caught:
        load_golden(tmp_path)
    assert caught.value.code == "golden_set_missing"
