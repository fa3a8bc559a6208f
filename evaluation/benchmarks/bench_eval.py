"""Benchmark of the evaluation harness on the whole golden set with the real model: how long
`funeng eval run` takes with a warm (or cold) embedding cache, stage by stage, in one process.

Stages: reading the library from the database, building the index (tokenising every document,
passages from the embedding cache, or encoded when cold), then each configuration over every
need of the chosen split (the first dense one pays for loading the model and encoding the
needs; later ones reuse the query vectors), and scoring with ranx (its first call compiles
numba's typed containers). Prints JSON; never asserts a time.

    .venv/bin/python evaluation/benchmarks/bench_eval.py --database-url sqlite:///var/funeng.db
        [--golden evaluation/golden] [--split all] [--model var/models/multilingual-e5-small]
        [--cache var/index/embeddings.sqlite] [--configs bm25 dense default]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]


def timed_stages(args: argparse.Namespace) -> dict[str, Any]:
    """Run the stages and time each one."""
    from evaluation.constraints import restrict_to_filters
    from evaluation.golden import load_golden
    from evaluation.harness import Harness
    from evaluation.index import IndexPool, library_views, sentence_encoder_factory
    from evaluation.scoring import evaluate_run
    from evaluation.session import resolve_config
    from evaluation.split import select

    started = time.perf_counter()
    out: dict[str, Any] = {}
    golden = select(load_golden(Path(args.golden)), args.split)
    views = library_views(args.database_url)
    out["read_library_s"] = round(time.perf_counter() - started, 2)
    pool = IndexPool(
        views=views,
        default_model=args.model,
        cache_path=Path(args.cache),
        encoder_factory=sentence_encoder_factory(threads=args.threads),
    )
    harness = Harness(pool=pool)
    configs = [resolve_config(ref) for ref in args.configs]
    mark = time.perf_counter()
    pool.matcher(configs[0])
    out["build_index_s"] = round(time.perf_counter() - mark, 2)
    cached = pool.cache.count(pool.matcher(configs[0]).encoder.model_id) if pool.cache else 0
    out["cached_passages"] = cached
    runs = []
    for config in configs:
        mark = time.perf_counter()
        run = harness.run(config, golden)
        ran = time.perf_counter() - mark
        mark = time.perf_counter()
        evaluation = evaluate_run(restrict_to_filters(golden, pool.matcher(config)), run)
        scored = time.perf_counter() - mark
        runs.append(
            {
                "config": config.name,
                "run_s": round(ran, 2),
                "score_s": round(scored, 2),
                "median_need_ms": round(run.median_query_ms(), 1),
                "ndcg@10": round(evaluation.means["ndcg@10"], 4),
            }
        )
    out["runs"] = runs
    out["total_s"] = round(time.perf_counter() - started, 2)
    out["needs"] = len(golden.queries)
    out["resources"] = len(views)
    out["documents"] = pool.matcher(configs[0]).n_documents
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--golden", default=str(REPO / "evaluation" / "golden"))
    parser.add_argument("--split", default="all", choices=("dev", "test", "all"))
    parser.add_argument("--model", default=str(REPO / "var" / "models" / "multilingual-e5-small"))
    parser.add_argument("--cache", default=str(REPO / "var" / "index" / "embeddings.sqlite"))
    parser.add_argument("--configs", nargs="+", default=["bm25", "dense", "default"])
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    result = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "args": {k: v for k, v in vars(args).items() if k != "database_url"},
        **timed_stages(args),
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
