"""Matched terms point at the right characters of the displayed text."""

from __future__ import annotations

from matcher.explain import find_terms
from matcher.tokenizer import Tokenizer


def test_offsets_in_chinese_text() -> None:
    text = "为东莞某注塑厂部署机器视觉外观缺陷检测，良率提升12%。"
    found = find_terms(["机器视觉", "缺陷检测", "注塑", "良率"], [("text", text)])
    assert [(m.term, m.start, m.end) for m in found] == [
        ("注塑", 4, 6),
        ("机器视觉", 9, 13),
        ("缺陷检测", 15, 19),
        ("良率", 20, 22),
    ]
    for m in found:
        assert text[m.start : m.end] == m.term


def test_offsets_in_mixed_full_width_text_give_the_original_characters() -> None:
    text = "打通ＭＥＳ与ERP，AI质检上线；Email通知"
    found = find_terms(["mes", "erp", "ai质检", "ai"], [("summary", text)])
    assert [(m.term, m.field) for m in found] == [
        ("ＭＥＳ", "summary"),
        ("ERP", "summary"),
        ("AI质检", "summary"),
    ]
    for m in found:
        assert text[m.start : m.end] == m.term  # "ai" inside "Email" is not a match


def test_parts_of_a_longer_match_are_not_repeated_but_every_occurrence_is() -> None:
    text = "机器视觉检测；视觉引导"
    found = find_terms(["机器", "视觉", "机器视觉"], [("t", text)])
    assert [(m.term, m.start) for m in found] == [("机器视觉", 0), ("视觉", 7)]


def test_fields_are_kept_apart_and_limited() -> None:
    fields = [("title", "MES系统"), ("text", "MES与MES")]
    found = find_terms(["mes"], fields)
    assert [(m.field, m.start) for m in found] == [("title", 0), ("text", 0), ("text", 4)]
    assert len(find_terms(["mes"], fields, limit=2)) == 2
    assert find_terms([], fields) == ()


def test_tokenizer_terms_can_be_explained_in_the_text_they_came_from(tokenizer: Tokenizer) -> None:
    text = "我们是东莞的注塑厂，想用机器视觉做外观缺陷检测，并上线ＭＥＳ系统"
    found = find_terms(tokenizer.terms(text), [("need", text)])
    assert {"机器视觉", "缺陷检测", "ＭＥＳ"} <= {m.term for m in found}
    for m in found:
        assert text[m.start : m.end] == m.term
