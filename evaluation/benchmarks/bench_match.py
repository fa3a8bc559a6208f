"""Benchmark of `LiveIndex.match` end to end at 10,000 resources + 40,000 cases, real model warm.

A seeded synthetic library of realistic Chinese text (the phrase lists of `matcher.synthetic`,
drawn with Zipf-like weights) becomes `LibraryEntryView`s, then documents through
`indexing.documents`, in a `LiveIndex` over an in-memory source. Queries are encoded by the real
multilingual-e5-small (`var/models/...`, one torch thread, FAISS one thread); the 50,000 passage
vectors are random unit vectors seeded by each text's hash (embedding them would take hours on
two cores; the JSON says so), which costs FAISS's exact scan the same time as real ones.
Reports build time, RSS, and median / p95 latency of: `LiveIndex.match` (query encoding
included), the same with the query vector cached (ranking alone), query encoding alone, dense
search alone, BM25 alone, tokenisation (timed interleaved, query by query), one incremental
update, and a snapshot write and load; and dense top-100 over the same vectors kept in float32
and in float16 (`--dense-storage` says which one the index serves), with float16's recall@100
against the exact float32 result. The load average is reported: on a shared machine
other processes' load inflates every figure.
Prints JSON; never asserts a time.

    OMP_NUM_THREADS=1 .venv/bin/python evaluation/benchmarks/bench_match.py \
        [--resources 10000] [--cases 40000] [--queries 200] [--seed 42] [--model PATH]
        [--dense-storage float32|float16]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np

from indexing.build import IndexParts
from indexing.documents import DocumentFactors
from indexing.live import LiveIndex
from indexing.snapshot import SnapshotStore
from indexing.source import StaticSource
from matcher import synthetic as syn
from matcher.dense import STORAGES, DenseIndex, DenseStorage
from matcher.encoders import SentenceTransformerEncoder
from matcher.tokenizer import default_tokenizer
from registry.enums import LibraryEventKind, LibraryStatus
from registry.library import CaseView, LibraryEntryView

REPO = Path(__file__).resolve().parents[2]
MODEL = REPO / "var" / "models" / "multilingual-e5-small"
NOW = datetime(2026, 1, 5, tzinfo=UTC)


def zipf(rng: np.random.Generator, items: Sequence[str], size: int = 1) -> list[str]:
    weights = 1.0 / np.arange(1, len(items) + 1)
    return [items[i] for i in rng.choice(len(items), size=size, p=weights / weights.sum())]


def synthetic_case(rng: np.random.Generator, case_id: int) -> CaseView:
    text = syn.synthetic_case(rng)
    return CaseView(
        id=case_id,
        title=f"{zipf(rng, syn.PRODUCTS)[0]}企业{zipf(rng, syn.TECHNIQUES)[0]}项目",
        client=f"{zipf(rng, syn.CITIES)[0]}{zipf(rng, syn.DISTRICTS)[0]}某制造企业",
        client_city=f"{zipf(rng, syn.CITIES)[0]}市",
        client_industry=f"C{int(rng.integers(13, 44))}",
        implementation=text,
        results=zipf(rng, syn.RESULTS)[0].format(n=int(rng.integers(5, 60))),
        feedback="效果显著，愿意继续合作",
        started_on=date(2024, 3, 1),
        completed_on=date(2024, 9, 1),
        feedback_on=date(2025, 6, 1),
    )


def synthetic_library(resources: int, cases: int, seed: int) -> list[LibraryEntryView]:
    """Seeded entries; cases spread over resources at random (some have many, some none)."""
    rng = np.random.default_rng(seed)
    owners = rng.integers(resources, size=cases)
    by_owner: dict[int, list[CaseView]] = {}
    for case_id, owner in enumerate(owners.tolist()):
        by_owner.setdefault(owner, []).append(synthetic_case(rng, case_id))
    providers = [
        (
            f"{zipf(rng, syn.CITIES)[0]}{''.join(rng.choice(list(syn.BRAND_CHARS), 2))}"
            f"{zipf(rng, syn.SUFFIXES)[0]}",
            f"{zipf(rng, syn.CITIES)[0]}市",
        )
        for _ in range(resources // 3 + 1)
    ]
    return [_entry(rng, i, tuple(by_owner.get(i, ())), providers) for i in range(resources)]


def _entry(
    rng: np.random.Generator,
    i: int,
    cases: tuple[CaseView, ...],
    providers: Sequence[tuple[str, str]],
) -> LibraryEntryView:
    provider = int(rng.integers(len(providers)))
    techniques = zipf(rng, syn.TECHNIQUES, int(rng.integers(2, 6)))
    products = "、".join(zipf(rng, syn.PRODUCTS, int(rng.integers(1, 4))))
    warned = bool(rng.random() < 0.05)
    return LibraryEntryView(
        resource_id=i,
        resource_code=f"R-{i:05d}",
        title=f"{techniques[0]}解决方案{i}",
        directions=tuple(sorted(set(zipf(rng, syn.DIRECTIONS, 2)))),
        form=syn.FORMS[int(rng.integers(len(syn.FORMS)))],
        industries=(f"C{int(rng.integers(13, 44))}",),
        summary=f"提供{'、'.join(techniques)}，面向{products}行业。{syn.synthetic_case(rng)}",
        advantages="，".join(zipf(rng, syn.ADVANTAGES, int(rng.integers(1, 4)))),
        indicators=f"交付周期 {int(rng.integers(2, 20))} 周，已服务 {int(rng.integers(5, 300))} 家",
        scenarios=f"{products}的{zipf(rng, syn.TECHNIQUES)[0]}",
        keywords=tuple(dict.fromkeys(techniques)),
        provider_id=provider,
        provider_name=providers[provider][0],
        provider_city=providers[provider][1],
        provider_type="企业",
        consortium_names=(),
        cases=cases,
        status=LibraryStatus.WARNED if warned else LibraryStatus.CERTIFIED,
        priority=bool(rng.random() < 0.02),
        certified_at=NOW,
        certified_on=NOW.date(),
    )


class RandomPassages:
    """The real encoder for queries; random unit vectors (seeded by text hash) for passages."""

    def __init__(self, real: SentenceTransformerEncoder) -> None:
        self.real = real
        self.model_id = f"{real.model_id}+random-passages"
        self.dimension = real.dimension
        self.cached: dict[str, np.ndarray] = {}
        self.use_cache = False

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        if self.use_cache and all(t in self.cached for t in texts):
            return np.stack([self.cached[t] for t in texts])
        vectors = self.real.encode_queries(texts)
        self.cached.update(zip(texts, vectors, strict=True))
        return vectors

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")
            out[row] = np.random.default_rng(seed).standard_normal(self.dimension)
        out /= np.linalg.norm(out, axis=1, keepdims=True)
        return out


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def stats(seconds: list[float]) -> dict[str, float]:
    ms = np.array(seconds) * 1000.0
    return {
        "p50_ms": round(float(np.median(ms)), 3),
        "p95_ms": round(float(np.percentile(ms, 95)), 3),
        "mean_ms": round(float(np.mean(ms)), 3),
        "min_ms": round(float(np.min(ms)), 3),
        "n": len(seconds),
    }


def timings(fn: Callable[[Any], Any], items: Sequence[Any]) -> dict[str, float]:
    seconds = []
    for item in items:
        start = time.perf_counter()
        fn(item)
        seconds.append(time.perf_counter() - start)
    return stats(seconds)


def interleaved(probes: dict[str, Callable[[int], Any]], n: int) -> dict[str, dict[str, float]]:
    """Each probe timed on query i in turn, for every i: a load that comes and goes (other
    processes on a shared machine) weighs on every probe alike, not on whichever ran then."""
    seconds: dict[str, list[float]] = {name: [] for name in probes}
    for i in range(n):
        for name, probe in probes.items():
            start = time.perf_counter()
            probe(i)
            seconds[name].append(time.perf_counter() - start)
    return {name: stats(values) for name, values in seconds.items()}


def cached_match(live: LiveIndex, encoder: RandomPassages, query: str) -> None:
    """`live.match` with the query vector taken from the cache: the ranking alone."""
    encoder.use_cache = True
    try:
        live.match(query, k=10)
    finally:
        encoder.use_cache = False


def run(args: argparse.Namespace) -> dict[str, Any]:
    load_before = os.getloadavg()
    real = SentenceTransformerEncoder(str(args.model), threads=1)
    real.encode_queries(["预热"])  # load the model before anything is timed
    encoder = RandomPassages(real)
    views = synthetic_library(args.resources, args.cases, args.seed)
    source = StaticSource(views)
    parts = IndexParts(encoder=encoder, tokenizer=default_tokenizer(), factors=DocumentFactors(),
                       dense_storage=args.dense_storage)  # fmt: skip
    live = LiveIndex(source=source, parts=parts)
    rss_before = rss_mb()
    start = time.perf_counter()
    live.rebuild(write_snapshot=False)
    build_seconds = time.perf_counter() - start
    matcher = live.matcher
    queries = syn.synthetic_needs(args.queries, seed=args.seed + 1)
    for query in queries[:20]:  # warm: caches, allocator, first FAISS / torch calls
        live.match(query, k=10)
    terms = [parts.tokenizer.terms(q) for q in queries]
    vectors = real.encode_queries(queries)
    result: dict[str, Any] = {
        "benchmark": "LiveIndex.match end to end",
        "corpus": {
            "resources": args.resources,
            "cases": args.cases,
            "documents": matcher.n_documents,
            "seed": args.seed,
            "text": "synthetic Chinese (matcher.synthetic phrase lists, Zipf-weighted)",
        },
        "vectors": "passages: random unit vectors seeded by text hash (not embedded); "
        "queries: encoded by the real model in every timed match",
        "model": real.model_id,
        "threads": {"torch": real.threads, "faiss": parts.threads},
        "build_seconds": round(build_seconds, 2),
        "rss_mb": {"before_build": round(rss_before, 1), "after_build": round(rss_mb(), 1)},
        "latency": interleaved(
            {
                "match_end_to_end": lambda i: live.match(queries[i], k=10),
                "match_query_vector_cached": lambda i: cached_match(live, encoder, queries[i]),
                "query_encoding": lambda i: real.encode_queries([queries[i]]),
                "dense_search_top100": lambda i: matcher.dense.search(vectors[i], 100),
                "bm25_search_top100": lambda i: matcher.bm25.search(terms[i], 100),
                "tokenise_query": lambda i: parts.tokenizer.terms(queries[i]),
            },
            len(queries),
        ),
    }
    result["dense_storage"] = _storages(matcher, encoder, vectors)
    result["latency"]["incremental_update"] = _updates(live, source, views[:20])
    result["snapshot"] = _snapshot(live, parts)
    result["target"] = {"match_p95_ms": 60.0}
    result["target"]["met"] = result["latency"]["match_end_to_end"]["p95_ms"] <= 60.0
    result["machine"] = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "loadavg_before": [round(x, 2) for x in load_before],
        "loadavg_after": [round(x, 2) for x in os.getloadavg()],
    }
    live.close()
    return result


def _storages(matcher: Any, encoder: RandomPassages, queries: np.ndarray) -> dict[str, Any]:
    """Dense top-100 over the same passage vectors kept in float32 and in float16, timed
    interleaved query by query; recall@100 of float16 against the exact float32 top-100."""
    ids = list(matcher.corpus.docs)
    passages = encoder.encode_passages([matcher.corpus.docs[i].text for i in ids])
    twins = {}
    for storage in STORAGES:
        twins[storage] = DenseIndex(matcher.dense.dimension, threads=1, storage=storage)
        twins[storage].add(ids, passages)

    def probe(storage: DenseStorage) -> Callable[[int], Any]:
        return lambda i: twins[storage].search(queries[i], 100)

    latency = interleaved({storage: probe(storage) for storage in STORAGES}, len(queries))
    overlap = []
    for query in queries:
        exact = {h.doc_id for h in twins["float32"].search(query, 100)}
        half = {h.doc_id for h in twins["float16"].search(query, 100)}
        overlap.append(len(exact & half) / max(len(exact), 1))
    return {
        "serving": matcher.dense.storage,
        "top100_latency": latency,
        "float32_over_float16_p50": round(
            latency["float32"]["p50_ms"] / latency["float16"]["p50_ms"], 2
        ),
        "float16_recall_at_100_vs_float32": round(float(np.mean(overlap)), 4),
        "float16_recall_min": round(float(np.min(overlap)), 4),
    }


def _updates(
    live: LiveIndex, source: StaticSource, views: Sequence[LibraryEntryView]
) -> dict[str, float]:
    """One resource re-certified with new text, applied: the writer's cost per event."""
    from dataclasses import replace

    def update(view: LibraryEntryView) -> None:
        source.put(replace(view, summary=view.summary + "（已更新）"), LibraryEventKind.UPDATED)
        live.apply_events()

    return timings(update, views)


def _snapshot(live: LiveIndex, parts: IndexParts) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        store = SnapshotStore(Path(folder))
        start = time.perf_counter()
        live.snapshots = store
        live.save_snapshot()
        written = time.perf_counter() - start
        size = sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file())
        start = time.perf_counter()
        store.load(encoder=parts.encoder, tokenizer=parts.tokenizer, factors=parts.factors,
                   dense_storage=parts.dense_storage)  # fmt: skip
        loaded = time.perf_counter() - start
    return {
        "write_seconds": round(written, 2),
        "load_seconds": round(loaded, 2),
        "size_mb": round(size / 2**20, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=int, default=10_000)
    parser.add_argument("--cases", type=int, default=40_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--model", type=Path, default=MODEL)
    parser.add_argument("--dense-storage", choices=STORAGES, default="float32")
    args = parser.parse_args()
    print(json.dumps(run(args), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
