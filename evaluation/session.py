"""What the `funeng eval` commands do, as plain functions (the CLI only parses and prints).

open_harness() builds the indexes' pool on the library of a registry database; evaluate_and_report()
runs configurations on one split, compares them when asked, and writes the report;
sweep_and_report() chooses on dev, reports on test, and may write the service's default.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from evaluation.compare import Comparison, compare_runs
from evaluation.configuration import CONFIG_DIR, EvalConfig, load_config, write_config
from evaluation.errors import ConfigInvalid, EvaluationError
from evaluation.golden import GoldenQuery, GoldenSet
from evaluation.harness import Harness, ProgressFactory
from evaluation.index import IndexPool, library_views, sentence_encoder_factory
from evaluation.judgments_file import judged_pairs, read_judgments
from evaluation.pooling import build_pools, write_sheet
from evaluation.report.build import Context, evaluation_blocks, summary_json, sweep_blocks
from evaluation.report.writer import write_report
from evaluation.scoring import RunEvaluation
from evaluation.split import select
from evaluation.sweep import SweepResult, SweepSpec, sweep
from indexing.build import StageProgress
from indexing.documents import DocumentFactors
from matcher.dense import DenseStorage


@dataclass(frozen=True)
class HarnessOptions:
    """Where the library and the model are, as plain values (the CLI fills them from settings)."""

    database_url: str
    model: str
    cache_path: Path | None
    threads: int = 1
    batch_size: int = 32
    max_seq_length: int = 256
    factors: DocumentFactors = field(default_factory=DocumentFactors)
    dense_storage: DenseStorage = "float32"  # the deployment's; a configuration may say another


@dataclass(frozen=True)
class Outcome:
    """A written report and what it shows."""

    folder: Path
    evaluations: tuple[RunEvaluation, ...]
    comparison: Comparison | None


def resolve_config(ref: str) -> EvalConfig:
    """A configuration by file path, or by name in evaluation/configs/ (`bm25`, `default`…)."""
    path = Path(ref)
    if path.suffix in (".yaml", ".yml") or path.is_file():
        return load_config(path)
    named = CONFIG_DIR / f"{ref}.yaml"
    if named.is_file():
        return load_config(named)
    known = "、".join(sorted(p.stem for p in CONFIG_DIR.glob("*.yaml") if p.stem != "sweep"))
    raise ConfigInvalid(
        f"找不到配置 {ref}（可用：{known}，或给出 YAML 路径）", code="eval_config_missing"
    )


def open_harness(
    options: HarnessOptions,
    *,
    build_progress: StageProgress | None = None,
    run_progress: ProgressFactory | None = None,
) -> Harness:
    """A harness on the certified library of `options.database_url` (read once, now)."""
    views = library_views(options.database_url)
    if not views:
        raise EvaluationError(
            f"数据库 {options.database_url} 的资源库为空：请先 `funeng registry load`",
            code="empty_library",
        )
    pool = IndexPool(
        views=views,
        default_model=options.model,
        cache_path=options.cache_path,
        encoder_factory=sentence_encoder_factory(
            threads=options.threads,
            batch_size=options.batch_size,
            max_seq_length=options.max_seq_length,
        ),
        factors=options.factors,
        threads=options.threads,
        progress=build_progress,
        default_storage=options.dense_storage,
    )
    return Harness(pool=pool, progress=run_progress)


def evaluate_and_report(
    *,
    harness: Harness,
    golden: GoldenSet,
    split: str,
    configs: Sequence[EvalConfig],
    command: str,
    root: Path,
    now: datetime,
    stat_test: str | None = None,
    max_p: float = 0.05,
) -> Outcome:
    """Evaluate configurations on one split; with `stat_test`, compare them to the first."""
    names = [c.name for c in configs]
    if len(set(names)) != len(names):
        raise ConfigInvalid(f"配置名称重复：{names}", code="duplicate_config_name")
    part = select(golden, split)
    if not part.queries:
        raise EvaluationError(f"划分 {split} 中没有需求", code="empty_split")
    evaluations = tuple(harness.evaluate(config, part) for config in configs)
    comparison = None
    if stat_test is not None and len(evaluations) > 1:
        comparison = compare_runs(evaluations, stat_test=stat_test, max_p=max_p)
    ctx = Context(golden.name, split, command, harness.titles(), seconds=harness.seconds)
    ctx.notes.extend(_index_notes(harness))
    verb = "对比" if comparison else "评测"
    folder = write_report(
        root=root,
        name=f"{'compare' if comparison else 'run'}-{'-'.join(names)}-{split}",
        title=f"{verb}：{'、'.join(names)}（{golden.name} / {split}）",
        blocks=evaluation_blocks(ctx, evaluations, comparison),
        now=now,
        data=summary_json(evaluations, ctx),
    )
    return Outcome(folder, evaluations, comparison)


def sweep_and_report(
    *,
    harness: Harness,
    golden: GoldenSet,
    spec: SweepSpec,
    command: str,
    root: Path,
    now: datetime,
    write_default: Path | None = None,
) -> tuple[SweepResult, Path]:
    """Sweep (choose on dev, report on test) and write the report; optionally the default."""
    result = sweep(spec, golden, harness.evaluate)
    comparison = None
    if result.base_test is not None and result.chosen_test is not None:
        comparison = compare_runs([result.base_test, result.chosen_test])
    ctx = Context(golden.name, "dev→test", command, harness.titles(), seconds=harness.seconds)
    ctx.notes.extend(_index_notes(harness))
    if write_default is not None:
        header = (
            "The service's default ranking (evaluation.configuration.default_match_config).\n"
            f"Chosen by `funeng eval sweep` on the DEV split of {golden.name} on {now:%Y-%m-%d};\n"
            "its TEST figures are in the sweep report. Do not edit by hand: re-run the sweep."
        )
        write_config(write_default, result.chosen, header=header)
        ctx.notes.append(f"已写入服务默认配置：{write_default}")
    data = {"chosen": result.chosen.name}
    if result.chosen_test is not None and result.base_test is not None:
        data |= summary_json([result.base_test, result.chosen_test], ctx)
    folder = write_report(
        root=root,
        name=f"sweep-{golden.name}",
        title=f"融合参数扫描（{golden.name}：dev 上选择，test 上报告）",
        blocks=sweep_blocks(ctx, result, comparison),
        now=now,
        data=data,
    )
    return result, folder


def _index_notes(harness: Harness) -> list[str]:
    built = "；".join(
        f"{key}（{seconds:.1f} 秒）" for key, seconds in harness.pool.build_seconds.items()
    )
    return [f"资源库：{len(harness.pool.views)} 项资源；索引：{built or '无'}"]


def pool_sheet(
    *,
    harness: Harness,
    queries: Sequence[GoldenQuery],
    configs: Sequence[EvalConfig],
    depth: int,
    judgments: Path | None,
    out: Path,
) -> tuple[int, int]:
    """Write a judging sheet of the systems' pools; returns (needs with work, rows)."""
    judged = judged_pairs(read_judgments(judgments)) if judgments and judgments.is_file() else {}
    pools = build_pools(
        queries=queries, configs=configs, run=harness.run, depth=depth, judged=judged
    )
    rows = write_sheet(out, pools, queries, harness.titles())
    return sum(1 for codes in pools.values() if codes), rows
