"""Benchmark of the serving BM25 engine against rank_bm25.BM25Okapi on the same tokens.

100,000 synthetic Chinese case documents (manufacturing phrases drawn with Zipf-like weights,
seeded), tokenised once by the matcher's tokenizer; both engines index the same token lists and
answer the same queries (top 10). Reports build time, query latency (median and p95, and the
speed-up ratio measured in this run), score agreement and top-10 overlap. With --hybrid it also
times `HybridMatcher.match` at 10,000 resources + 40,000 cases: passages are embedded by a
dimension-384 hashing fake; queries by the real model with --model (end-to-end latency), else
by the fake (then add the model's query encoding time from bench_encoder).
Prints JSON; never asserts a time.

    .venv/bin/python evaluation/benchmarks/bench_bm25.py [--docs 100000] [--queries 60]
        [--seed 42] [--hybrid] [--resources 10000] [--cases 40000] [--model DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np

from matcher.bm25 import BM25Index
from matcher.synthetic import synthetic_corpus, synthetic_needs
from matcher.tokenizer import default_tokenizer


def percentiles(seconds: list[float]) -> dict[str, float]:
    """Median and p95 in milliseconds."""
    ms = np.array(seconds) * 1000.0
    return {
        "median_ms": round(float(np.median(ms)), 3),
        "p95_ms": round(float(np.percentile(ms, 95)), 3),
    }


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def overlap(ours: list[str], ref_scores: np.ndarray, ids: list[str], k: int) -> tuple[int, int]:
    """(strict, tie-aware) overlap of our top-k with the reference top-k."""
    ref_top = np.argsort(ref_scores)[::-1][:k]
    strict = len(set(ours) & {ids[i] for i in ref_top})
    kth = ref_scores[ref_top[-1]]
    index = {doc_id: i for i, doc_id in enumerate(ids)}
    tie_aware = sum(ref_scores[index[d]] >= kth - 1e-9 * max(1.0, abs(kth)) for d in ours)
    return strict, int(tie_aware)


def bench_bm25(docs: int, queries: int, seed: int) -> dict[str, Any]:
    from rank_bm25 import BM25Okapi

    tokenizer, init_s = timed(default_tokenizer)
    texts = synthetic_corpus(docs, seed=seed)
    tokens, tokenise_s = timed(lambda: [tokenizer.terms(t) for t in texts])
    ids = [f"case-{i}" for i in range(docs)]
    index = BM25Index(dictionary_hash=tokenizer.dictionary_hash)
    _, build_s = timed(lambda: index.add(zip(ids, tokens, strict=True)))
    _, prepare_s = timed(index.prepare)
    reference, ref_build_s = timed(lambda: BM25Okapi(tokens))
    needs = synthetic_needs(queries, seed=seed + 1)
    query_tokens = [tokenizer.terms(n) for n in needs]
    index.search(query_tokens[0], 10)
    reference.get_top_n(query_tokens[0], ids, n=10)
    ours_s, ref_s, strict, tie_aware, max_diff, tied = [], [], [], [], 0.0, 0
    for query in query_tokens:
        hits, seconds = timed(partial(index.search, query, 10))
        ours_s.append(seconds)
        _, seconds = timed(partial(reference.get_top_n, query, ids, n=10))
        ref_s.append(seconds)
        ref_scores = reference.get_scores(query)
        tenth, eleventh = np.sort(ref_scores)[::-1][9:11]
        tied += bool(tenth == eleventh and tenth > 0)
        s, t = overlap([h.doc_id for h in hits], ref_scores, ids, 10)
        strict.append(s)
        tie_aware.append(t)
        for h in hits:
            max_diff = max(max_diff, abs(h.score - ref_scores[int(h.doc_id[5:])]))
    ours_p, ref_p = percentiles(ours_s), percentiles(ref_s)
    return {
        "corpus": {
            "documents": docs,
            "seed": seed,
            "mean_tokens_per_doc": round(float(np.mean([len(t) for t in tokens])), 1),
            "vocabulary": len(index.vocab),
            "postings": int(sum(s.tf.size for s in index.segments)),
            "characters": sum(len(t) for t in texts),
        },
        "queries": queries,
        "mean_query_tokens": round(statistics.mean(len(q) for q in query_tokens), 1),
        "tokenizer": {
            "init_s": round(init_s, 2),
            "chars_per_s": round(sum(len(t) for t in texts) / tokenise_s),
        },
        "build_s": {
            "ours": round(build_s, 2),
            "ours_prepare": round(prepare_s, 2),
            "rank_bm25": round(ref_build_s, 2),
        },
        "top10_latency": {"ours": ours_p, "rank_bm25": ref_p},
        "speedup": {
            "median": round(ref_p["median_ms"] / ours_p["median_ms"], 1),
            "p95": round(ref_p["p95_ms"] / ours_p["p95_ms"], 1),
        },
        "top10_overlap": {
            "strict_min": min(strict),
            "strict_mean": round(statistics.mean(strict), 2),
            "tie_aware_min": min(tie_aware),
            # Where the 10th and 11th reference scores are equal, either document is a correct
            # 10th, and rank_bm25's argsort picks one arbitrarily: strict overlap may be 9.
            "queries_with_exact_tie_at_10th": tied,
        },
        "max_abs_score_diff_top10": max_diff,
    }


def bench_hybrid(
    resources: int, cases: int, queries: int, seed: int, model: str | None
) -> dict[str, Any]:
    from matcher.hybrid import HybridMatcher
    from matcher.synthetic import synthetic_resources
    from matcher.testing import HashingEncoder
    from matcher.types import Encoder, Filters

    tokenizer = default_tokenizer()
    fake = HashingEncoder(tokenizer.terms, dimension=384, seed=seed)
    docs = synthetic_resources(resources, cases, seed=seed)
    # Passages always come from the fast fake (the real model would need hours for 50,000);
    # with --model the queries are encoded by the real model, so latency is end to end.
    vectors, encode_s = timed(lambda: fake.encode_passages([d.text for d in docs]))
    encoder: Encoder = fake
    if model is not None:
        from matcher.encoders import SentenceTransformerEncoder

        encoder = SentenceTransformerEncoder(model, threads=1)
        encoder.encode_queries(["预热"])
    matcher = HybridMatcher(tokenizer=tokenizer, encoder=encoder, threads=1)
    _, add_s = timed(lambda: matcher.add_documents(docs, vectors=vectors))
    needs = synthetic_needs(queries, seed=seed + 2)
    matcher.match(needs[0], k=10)
    result: dict[str, Any] = {
        "resources": resources,
        "cases": cases,
        "query_encoder": encoder.model_id,
        "dimension": encoder.dimension,
        "fake_encode_passages_s": round(encode_s, 1),
        "add_documents_s": round(add_s, 1),
    }
    cases_to_time: dict[str, Callable[[str], object]] = {
        "match": lambda n: matcher.match(n, k=10),
        "match_city_filter": lambda n: matcher.match(n, k=10, filters=Filters.of(city="东莞市")),
        "encode_query": lambda n: encoder.encode_queries([n]),
        "bm25_search_100": lambda n: matcher.search_bm25(n, 100),
    }
    for name, fn in cases_to_time.items():
        result[name] = percentiles([timed(partial(fn, n))[1] for n in needs])
    vector = encoder.encode_queries([needs[0]])[0]
    # The matcher's own share: the same matches with the near-free fake query encoder.
    matcher.encoder = fake
    result["match_with_fake_query_encoder"] = percentiles(
        [timed(partial(matcher.match, n, k=10))[1] for n in needs]
    )
    result["dense_search_100"] = percentiles(
        [timed(lambda: matcher.dense.search(vector, 100))[1] for _ in needs]
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=60)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--hybrid", action="store_true")
    parser.add_argument("--resources", type=int, default=10_000)
    parser.add_argument("--cases", type=int, default=40_000)
    parser.add_argument("--model", help="sentence-transformers folder to encode the queries")
    args = parser.parse_args()
    report: dict[str, Any] = {
        "machine": {
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "numpy": np.__version__,
        },
        "bm25": bench_bm25(args.docs, args.queries, args.seed),
    }
    if args.hybrid:
        report["hybrid"] = bench_hybrid(
            args.resources, args.cases, args.queries, args.seed, args.model
        )
    # Other processes share the cores: the load tells how far to trust the timings.
    report["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
