"""Evaluation indexes: passages embedded once through the cache, query vectors memoised."""

from __future__ import annotations

from pathlib import Path

from evaluation.configuration import EvalConfig, TokenizerSpec
from evaluation.index import IndexPool, QueryMemo
from matcher.testing import KeywordEncoder
from matcher.tokenizer import USERDICT_PATH
from tests.evaluation.world import KEYWORDS, library


def pool_with(cache: Path | None, made: list[KeywordEncoder]) -> IndexPool:
    def factory(name: str) -> KeywordEncoder:
        made.append(KeywordEncoder(KEYWORDS, model_id=name))
        return made[-1]

    return IndexPool(views=library(), default_model="kw", cache_path=cache, encoder_factory=factory)


def test_a_second_evaluation_embeds_no_passage(tmp_path: Path) -> None:
    made: list[KeywordEncoder] = []
    first = pool_with(tmp_path / "embeddings.sqlite", made)
    first.matcher(EvalConfig(name="a"))
    first.close()
    assert made[0].calls == 20  # ten resource documents and ten cases
    second = pool_with(tmp_path / "embeddings.sqlite", made)
    matcher = second.matcher(EvalConfig(name="a"))
    second.close()
    assert made[1].calls == 0
    assert matcher.n_documents == 20


def test_query_vectors_are_encoded_once() -> None:
    inner = KeywordEncoder(KEYWORDS)
    memo = QueryMemo(inner)
    first = memo.encode_queries(["注塑 MES", "能耗"])
    again = memo.encode_queries(["能耗", "注塑 MES", "能耗"])
    assert inner.calls == 2
    assert (again[1] == first[0]).all() and (again[0] == first[1]).all()
    assert memo.encode_queries([]).shape == (0, inner.dimension)


def test_another_dictionary_builds_another_index(tmp_path: Path) -> None:
    userdict = tmp_path / "userdict.txt"
    userdict.write_text(USERDICT_PATH.read_text(encoding="utf-8") + "员工餐 500 nz\n", "utf-8")
    pool = pool_with(None, [])
    shipped = pool.matcher(EvalConfig(name="a"))
    custom = pool.matcher(EvalConfig(name="b", tokenizer=TokenizerSpec(userdict=userdict)))
    assert custom is not shipped
    assert custom.tokenizer.dictionary_hash != shipped.tokenizer.dictionary_hash
    assert "员工餐" in custom.tokenizer.terms("食堂员工餐")
    assert len(pool.build_seconds) == 2


def test_another_dense_storage_builds_another_index() -> None:
    pool = pool_with(None, [])
    default = pool.matcher(EvalConfig(name="a"))
    half = pool.matcher(EvalConfig(name="b", dense_storage="float16"))
    assert half is not default and pool.matcher(EvalConfig(name="c")) is default
    assert (default.dense.storage, half.dense.storage) == ("float32", "float16")
    assert half.n_documents == default.n_documents == 20
