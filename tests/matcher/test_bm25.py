"""The BM25 engine against the reference, rank_bm25.BM25Okapi, on a generated Chinese corpus."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from matcher.bm25 import BM25Index
from matcher.errors import IndexFormatError, IndexMismatch, InvalidInput
from matcher.synthetic import synthetic_needs
from matcher.tokenizer import Tokenizer


def _queries(tokenizer: Tokenizer, n: int = 40) -> list[list[str]]:
    queries = [tokenizer.terms(need) for need in synthetic_needs(n, seed=11)]
    # Duplicated tokens count as often as they occur, as in rank_bm25.
    queries.append(tokenizer.terms("机器视觉机器视觉缺陷检测"))
    queries.append(tokenizer.terms("跨境电商 直播电商 品牌"))
    return queries


def _assert_same_ranking(
    index: BM25Index, ids: list[str], ref: BM25Okapi, query: list[str]
) -> None:
    expected = ref.get_scores(query)
    slots = np.array([index.slot_of(doc_id) for doc_id in ids], dtype=np.int64)
    ours = index.scores(query)[slots]
    np.testing.assert_allclose(ours, expected, rtol=1e-9, atol=1e-12)
    hits = index.search(query, 10)
    assert len(hits) == min(10, int(np.count_nonzero(expected)))
    assert [h.rank for h in hits] == list(range(1, len(hits) + 1))
    # The same top-10 as the reference: the same scores in the same order, and every document
    # scoring above the 10th is there (documents tied at the 10th may be exchanged).
    by_id = dict(zip(ids, expected, strict=True))
    top = np.sort(expected)[::-1][: len(hits)]
    np.testing.assert_allclose([by_id[h.doc_id] for h in hits], top, rtol=1e-9)
    np.testing.assert_allclose([h.score for h in hits], top, rtol=1e-9)
    if hits:
        above = {i for i, v in by_id.items() if v > top[-1] * (1 + 1e-9)}
        assert above <= {h.doc_id for h in hits}
    # Ties are broken by the earlier slot, deterministically.
    for a, b in itertools.pairwise(hits):
        if a.score == b.score:
            assert (index.slot_of(a.doc_id) or 0) < (index.slot_of(b.doc_id) or 0)


def test_scores_and_top10_equal_rank_bm25(
    tokenizer: Tokenizer, chinese_corpus: list[list[str]]
) -> None:
    ids = [f"case-{i}" for i in range(len(chinese_corpus))]
    index = BM25Index()
    index.add(zip(ids, chinese_corpus, strict=True))
    ref = BM25Okapi(chinese_corpus)
    assert index.avgdl == pytest.approx(ref.avgdl)
    idf = index.idf()
    for term, value in ref.idf.items():
        assert idf[index.vocab[term]] == pytest.approx(value, rel=1e-12, abs=1e-12)
    # The corpus exercises the ε floor: some terms are in more than half of the documents.
    assert any(sum(term in doc for doc in ref.doc_freqs) > 200 for term in ref.idf)
    assert len(ref.idf) > 200
    for query in _queries(tokenizer):
        _assert_same_ranking(index, ids, ref, query)


def test_unknown_and_empty_queries_find_nothing(chinese_corpus: list[list[str]]) -> None:
    index = BM25Index()
    index.add((f"d{i}", toks) for i, toks in enumerate(chinese_corpus))
    assert index.search(["从未出现的词"], 10) == []
    assert index.search([], 10) == []
    with pytest.raises(InvalidInput):
        index.search(["机器视觉"], 0)


def test_random_adds_and_removes_stay_equal_to_a_rebuild(
    tokenizer: Tokenizer, chinese_corpus: list[list[str]]
) -> None:
    rng = random.Random(3)
    index = BM25Index()
    live: dict[str, list[str]] = {}
    pool = list(enumerate(chinese_corpus))
    queries = _queries(tokenizer, 12)
    next_id = 0
    for step in range(40):
        action = rng.random()
        if action < 0.55 or len(live) < 20:
            batch = {}
            for _ in range(rng.randint(1, 30)):
                _, tokens = pool[rng.randrange(len(pool))]
                batch[f"d{next_id}"] = tokens
                next_id += 1
            index.add(batch.items())
            live.update(batch)
        elif action < 0.8:
            gone = rng.sample(sorted(live), rng.randint(1, min(25, len(live) - 5)))
            assert index.remove([*gone, "never-added"]) == len(gone)
            for doc_id in gone:
                del live[doc_id]
        else:
            # Replace documents in place: same id, new tokens.
            changed = {d: pool[rng.randrange(len(pool))][1] for d in rng.sample(sorted(live), 5)}
            index.add(changed.items())
            live.update(changed)
        assert index.n_docs == len(live)
        ids = list(live)
        ref = BM25Okapi([live[i] for i in ids])
        for query in queries[step % 4 :: 4]:
            _assert_same_ranking(index, ids, ref, query)
    assert len(index.segments) <= 2 * np.log2(index.n_slots) + 1


def test_removed_terms_leave_the_mean_idf_and_its_floor(
    tokenizer: Tokenizer, chinese_corpus: list[list[str]]
) -> None:
    # Terms whose every document is gone must vanish from the ε·mean-idf floor, as in a rebuild.
    index = BM25Index()
    ids = [f"d{i}" for i in range(len(chinese_corpus))]
    index.add(zip(ids, chinese_corpus, strict=True))
    odd = [(f"x{i}", [f"独有词{i}", f"罕见词{i}", "机器视觉"]) for i in range(30)]
    index.add(odd)
    index.remove(doc_id for doc_id, _ in odd)
    ref = BM25Okapi(chinese_corpus)
    frequent = max(ref.idf, key=lambda t: sum(t in d for d in ref.doc_freqs))
    assert ref.idf[frequent] == pytest.approx(ref.epsilon * ref.average_idf)
    for query in [[frequent, "机器视觉"], *_queries(tokenizer, 6)]:
        _assert_same_ranking(index, ids, ref, query)


def test_mask_filters_before_ranking(tokenizer: Tokenizer, chinese_corpus: list[list[str]]) -> None:
    index = BM25Index()
    ids = [f"d{i}" for i in range(len(chinese_corpus))]
    index.add(zip(ids, chinese_corpus, strict=True))
    index.remove(ids[::9])
    rng = np.random.default_rng(5)
    for query in _queries(tokenizer, 10):
        mask = rng.random(index.n_slots) < rng.random()
        hits = index.search(query, 25, mask)
        full = index.scores(query)
        allowed = [s for s in range(index.n_slots) if mask[s] and index.alive[s] and full[s] != 0]
        best = sorted(allowed, key=lambda s: (-full[s], s))[:25]
        assert [h.doc_id for h in hits] == [ids[s] for s in best]


def test_mask_of_wrong_length_is_refused(chinese_corpus: list[list[str]]) -> None:
    index = BM25Index()
    index.add((f"d{i}", t) for i, t in enumerate(chinese_corpus[:10]))
    with pytest.raises(InvalidInput):
        index.search(["机器"], 5, np.ones(3, dtype=bool))


def test_duplicate_ids_in_one_batch_are_refused() -> None:
    with pytest.raises(InvalidInput):
        BM25Index().add([("a", ["x"]), ("a", ["y"])])


def test_matching_terms(chinese_corpus: list[list[str]]) -> None:
    index = BM25Index()
    index.add([("a", ["机器视觉", "检测", "检测"]), ("b", ["mes"])])
    index.add([("c", ["mes", "erp"])])
    assert index.matching_terms("a", ["mes", "检测", "机器视觉", "检测"]) == ["检测", "机器视觉"]
    assert index.matching_terms("c", ["erp", "mes", "wms"]) == ["erp", "mes"]
    assert index.matching_terms("missing", ["mes"]) == []


def test_presence_of_terms_in_live_documents() -> None:
    index = BM25Index()
    index.add([("a", ["x", "y"]), ("b", ["y"])])
    index.add([("c", ["z", "x"])])
    index.add([("a", ["z"])])  # replaced: a no longer has x or y
    index.remove(["b"])
    found = index.presence(["a", "b", "c", "zzz"], ["x", "y", "z", "never"])
    assert found.tolist() == [
        [False, False, True, False],
        [False, False, False, False],
        [True, False, True, False],
        [False, False, False, False],
    ]


def test_save_and_load_round_trip(
    tmp_path: Path, tokenizer: Tokenizer, chinese_corpus: list[list[str]]
) -> None:
    index = BM25Index(dictionary_hash=tokenizer.dictionary_hash)
    index.add((f"d{i}", t) for i, t in enumerate(chinese_corpus[:250]))
    index.add((f"e{i}", t) for i, t in enumerate(chinese_corpus[250:]))
    index.remove([f"d{i}" for i in range(0, 250, 4)])
    index.save(tmp_path / "bm25")
    loaded = BM25Index.load(tmp_path / "bm25", dictionary_hash=tokenizer.dictionary_hash)
    assert loaded.n_docs == index.n_docs and loaded.n_slots == index.n_slots
    for query in _queries(tokenizer, 10):
        assert loaded.search(query, 10) == index.search(query, 10)
        np.testing.assert_array_equal(loaded.scores(query), index.scores(query))
    # It keeps working incrementally after a load.
    loaded.add([("new", ["机器视觉"])])
    assert loaded.search(["机器视觉"], 1)[0].doc_id == "new"


def test_load_refuses_another_dictionary_and_broken_files(
    tmp_path: Path, chinese_corpus: list[list[str]]
) -> None:
    index = BM25Index(dictionary_hash="abc")
    index.add((f"d{i}", t) for i, t in enumerate(chinese_corpus[:20]))
    index.save(tmp_path)
    with pytest.raises(IndexMismatch):
        BM25Index.load(tmp_path, dictionary_hash="other")
    (tmp_path / "bm25.npz").write_bytes(b"not an archive")
    with pytest.raises(IndexFormatError):
        BM25Index.load(tmp_path)
    (tmp_path / "bm25.json").write_text('{"kind": "bm25", "format_version": 99}', "utf-8")
    with pytest.raises(IndexFormatError):
        BM25Index.load(tmp_path)


def test_saved_arrays_load_without_pickle(tmp_path: Path) -> None:
    index = BM25Index()
    index.add([("甲", ["机器视觉"]), ("乙", ["mes", "erp"])])
    index.save(tmp_path)
    with np.load(tmp_path / "bm25.npz", allow_pickle=False) as archive:
        assert all(not archive[name].dtype.hasobject for name in archive.files)
