"""The tokenizer: domain terms stay whole, noise goes, offsets point at the original text."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from matcher.tokenizer import (
    STOPWORDS_PATH,
    USERDICT_PATH,
    Tokenizer,
    dictionary_hash,
    normalize,
    parse_userdict,
)


def test_normalize_keeps_length_and_folds_width_and_case() -> None:
    text = "ＭＥＳ系统　ERP，Ａｉ质检"
    norm = normalize(text)
    assert norm == "mes系统 erp,ai质检"
    assert len(norm) == len(text)


def test_userdict_is_large_and_has_frequencies_and_pos() -> None:
    entries = parse_userdict(USERDICT_PATH)
    assert len(entries) >= 300
    assert len({term for term, _, _ in entries}) == len(entries)
    assert all(freq > 0 and pos for _, freq, pos in entries)


def test_every_domain_term_is_one_word_on_its_own(tokenizer: Tokenizer) -> None:
    for term, _, _ in tokenizer.userdict_entries:
        words = [w.text for w in tokenizer.words(term)]
        assert words == [term], (term, words)


@pytest.mark.parametrize("context", ["我们需要{}服务", "提供{}和相关支持", "{}，效果明显"])
def test_every_domain_term_survives_in_context(tokenizer: Tokenizer, context: str) -> None:
    lost = [
        term
        for term, _, _ in tokenizer.userdict_entries
        if term not in tokenizer.terms(context.format(term))
    ]
    assert lost == []


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("我们是东莞的注塑厂，想用机器视觉做外观缺陷检测", "机器视觉"),
        ("我们是东莞的注塑厂，想用机器视觉做外观缺陷检测", "缺陷检测"),
        ("产线需要注塑成型工艺优化", "注塑成型"),
        ("建设数字孪生工厂并做能耗管理", "数字孪生"),
        ("建设数字孪生工厂并做能耗管理", "能耗管理"),
        ("上线MES和ERP，打通WMS", "mes"),
        ("上线MES和ERP，打通WMS", "wms"),
        ("通过跨境电商和直播电商卖到海外", "跨境电商"),
        ("通过跨境电商和直播电商卖到海外", "直播电商"),
        ("基于工业互联网平台做预测性维护", "预测性维护"),
        ("基于工业互联网平台做预测性维护", "工业互联网"),
    ],
)
def test_domain_terms_stay_whole_in_running_text(
    tokenizer: Tokenizer, text: str, term: str
) -> None:
    tokens = tokenizer.tokenize(text)
    assert term in [t.text for t in tokens]
    for token in tokens:
        assert normalize(text[token.start : token.end]) == token.text


def test_search_mode_adds_the_parts_of_long_words(tokenizer: Tokenizer) -> None:
    terms = tokenizer.terms("机器视觉")
    assert {"机器", "视觉", "机器视觉"} <= set(terms)


def test_noise_is_removed(tokenizer: Tokenizer) -> None:
    terms = tokenizer.terms("  我们的，工厂！！想要 了解……MES？？  ")
    assert "工厂" in terms and "mes" in terms and "了解" in terms
    for noise in (" ", "，", "！", "？", "……", "的", "我们", "想要"):
        assert noise not in terms


def test_only_noise_gives_no_terms(tokenizer: Tokenizer) -> None:
    assert tokenizer.terms("，。！？ 的 了 我们") == []


def test_latin_runs_are_not_split_by_dictionary_words(tokenizer: Tokenizer) -> None:
    # "ai" is a dictionary word; it must not be found inside "email" or "maintain".
    terms = tokenizer.terms("email通知与maintain计划")
    assert "email" in terms and "maintain" in terms
    assert "ai" not in terms


def test_latin_is_lower_cased_and_full_width_folded(tokenizer: Tokenizer) -> None:
    assert tokenizer.terms("ＭＥＳ") == tokenizer.terms("MES") == tokenizer.terms("mes") == ["mes"]


def test_offsets_point_into_the_original_mixed_text(tokenizer: Tokenizer) -> None:
    text = "东莞Ａ厂：ＭＥＳ+AI质检，能耗管理（5G专网）"
    for token in tokenizer.tokenize(text):
        original = text[token.start : token.end]
        assert normalize(original) == token.text, (token, original)
    texts = {t.text for t in tokenizer.tokenize(text)}
    assert {"mes", "ai质检", "能耗管理", "5g专网"} <= texts


def test_dictionary_hash_is_stable_and_changes_with_the_dictionary(
    tokenizer: Tokenizer, changed_tokenizer: Tokenizer, tmp_path: Path
) -> None:
    shipped = {"userdict": USERDICT_PATH, "stopwords": STOPWORDS_PATH}
    assert tokenizer.dictionary_hash == dictionary_hash(**shipped, hmm=False)
    assert dictionary_hash(**shipped, hmm=True) != tokenizer.dictionary_hash
    assert changed_tokenizer.dictionary_hash != tokenizer.dictionary_hash
    assert "柔性电子" in changed_tokenizer.terms("柔性电子")
    assert "柔性电子" not in tokenizer.terms("柔性电子")
    stopwords = tmp_path / "stopwords.txt"
    stopwords.write_text(STOPWORDS_PATH.read_text(encoding="utf-8") + "工厂\n", "utf-8")
    other = dictionary_hash(userdict=USERDICT_PATH, stopwords=stopwords, hmm=False)
    assert other != tokenizer.dictionary_hash


def test_bad_userdict_line_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "userdict.txt"
    bad.write_text("机器视觉 many n\n", encoding="utf-8")
    with pytest.raises(ValueError):
        parse_userdict(bad)


def test_jieba_stays_quiet(capfd: pytest.CaptureFixture[str]) -> None:
    logging.getLogger("jieba").setLevel(logging.DEBUG)  # undo what earlier tokenizers set
    Tokenizer()
    assert capfd.readouterr().err == ""
