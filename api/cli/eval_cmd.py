"""`funeng eval run|compare|sweep`: relevance of ranking configurations on the golden set.

Settings are read here, at the edge; `evaluation/` receives plain values. Every command
writes a report folder under var/reports/ (report.md, report.html, plots/, results.json).
"""

from __future__ import annotations

import os
import shlex
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from api.cli.index_cmd import StageBars
from api.settings import Settings

if TYPE_CHECKING:
    from evaluation.golden import GoldenSet
    from evaluation.harness import Harness
    from evaluation.scoring import RunEvaluation

NAME = "eval"
app = typer.Typer(no_args_is_help=True, help="相关性评测：在黄金集上运行、对比、扫描排序配置。")

SplitOption = Annotated[
    str, typer.Option("--split", help="dev（调参）、test（报告）或 all", show_default=True)
]
GoldenOption = Annotated[
    Path | None, typer.Option("--golden", help="黄金集目录（默认 evaluation/golden）")
]
DatabaseOption = Annotated[
    str | None, typer.Option("--database-url", help="载入了资源库的数据库（默认取设置）")
]
ModelOption = Annotated[
    str | None, typer.Option("--model", help="嵌入模型目录或名称（默认取设置）")
]


class RunBars:
    """One tqdm bar per configuration run: needs done / total, elapsed time."""

    def __init__(self, stages: StageBars) -> None:
        self.stages = stages  # the index build's bars end where the first run begins

    def __call__(self, name: str, total: int) -> Any:
        from tqdm import tqdm

        self.stages.close()
        bar = tqdm(total=total, desc=f"评测 {name}", unit="条", leave=True)

        def step(done: int, total_: int, seconds: float) -> None:
            bar.update(done - bar.n)
            if done >= total_:
                bar.close()

        return step


def _harness(database_url: str | None, model: str | None) -> Harness:
    from evaluation.session import HarnessOptions, open_harness
    from indexing.documents import DocumentFactors

    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # no model hub here: fail fast, never hang
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    settings = Settings()
    options = HarnessOptions(
        database_url=database_url or settings.database_url,
        model=model or settings.model.name_or_path or str(settings.model.path),
        cache_path=settings.index.dir / "embeddings.sqlite",
        threads=settings.model.threads,
        batch_size=settings.model.batch_size,
        max_seq_length=settings.model.max_seq_length,
        factors=DocumentFactors(
            warned_factor=settings.index.warned_factor,
            priority_boost=settings.index.priority_boost,
        ),
        dense_storage=settings.index.dense_storage,
    )
    stages = StageBars()
    return open_harness(options, build_progress=stages, run_progress=RunBars(stages))


def _golden(path: Path | None) -> GoldenSet:
    from evaluation.golden import GOLDEN_DIR, load_golden

    return load_golden(path or GOLDEN_DIR)


def _fail(error: Any) -> typer.Exit:
    typer.echo(
        f"错误 [{error.code}]：{error.message}"
        + (f"（{error.loc}）" if getattr(error, "loc", "") else ""),
        err=True,
    )
    return typer.Exit(1)


def _command() -> str:
    return "funeng " + " ".join(shlex.quote(a) for a in sys.argv[1:])


def _summary(evaluations: tuple[RunEvaluation, ...], folder: Path, started: float) -> None:
    from evaluation.metrics import HEADLINE, LABELS

    header = "配置".ljust(24) + "".join(LABELS[m].rjust(11) for m in HEADLINE) + "   拒答率  误拒率"
    typer.echo(header)
    for e in evaluations:
        rates = (e.nofit.abstention_rate, e.nofit.false_no_suitable_rate)
        shown = "".join("     —" if r is None else f"{100 * r:6.1f}%" for r in rates)
        typer.echo(
            e.name.ljust(24) + "".join(f"{e.means[m]:11.3f}" for m in HEADLINE) + "  " + shown
        )
    typer.echo(f"报告：{folder / 'report.html'}")
    typer.echo(f"用时 {time.monotonic() - started:.1f} 秒")


def _evaluate(configs: list[str], split: str, golden: Path | None, database_url: str | None,
              model: str | None, stat_test: str | None, max_p: float) -> Any:  # fmt: skip
    from evaluation.errors import EvaluationError
    from evaluation.session import evaluate_and_report, resolve_config
    from indexing.errors import IndexingError
    from matcher.errors import MatcherError

    started = time.monotonic()
    try:
        resolved = [resolve_config(ref) for ref in configs]
        gold = _golden(golden)
        outcome = evaluate_and_report(
            harness=_harness(database_url, model), golden=gold, split=split, configs=resolved,
            command=_command(), root=Settings().var_dir / "reports", now=datetime.now(),
            stat_test=stat_test, max_p=max_p,
        )  # fmt: skip
    except (EvaluationError, IndexingError, MatcherError) as error:
        raise _fail(error) from error
    _summary(outcome.evaluations, outcome.folder, started)
    return outcome


def _baseline(
    evaluation: RunEvaluation, split: str, check: Path | None, write: Path | None
) -> None:
    from evaluation.baseline import baseline_of, before_after, read_baseline, regressions
    from evaluation.baseline import write_baseline as save

    if check is not None:
        held = read_baseline(check)
        typer.echo(before_after(held, evaluation.means))
        found = regressions(held, evaluation.means)
        for line in found:
            typer.echo(f"低于基线：{line}", err=True)
        if found:
            raise typer.Exit(1)
    if write is not None:
        save(write, baseline_of(evaluation, split=split, command=_command(), now=datetime.now()))
        typer.echo(f"已写入基线 {write}")


@app.command("run")
def run(
    configs: Annotated[
        list[str], typer.Argument(help="配置名（evaluation/configs/ 中）或 YAML 路径")
    ],
    split: SplitOption = "test",
    golden: GoldenOption = None,
    database_url: DatabaseOption = None,
    model: ModelOption = None,
    check_baseline: Annotated[
        Path | None, typer.Option(help="与基线 JSON 比较（第一个配置）")
    ] = None,
    write_baseline: Annotated[Path | None, typer.Option(help="把第一个配置的结果写成基线")] = None,
) -> None:
    """Evaluate one or more configurations on a split and write a report."""
    outcome = _evaluate(configs, split, golden, database_url, model, None, 0.05)
    _baseline(outcome.evaluations[0], split, check_baseline, write_baseline)


@app.command("compare")
def compare(
    configs: Annotated[list[str], typer.Argument(help="对照在前：A B …（至少两个）")],
    split: SplitOption = "test",
    test: Annotated[
        str, typer.Option("--test", help="student（配对 t 检验）或 fisher（随机化检验）")
    ] = "student",
    max_p: Annotated[float, typer.Option("--max-p", help="显著性阈值")] = 0.05,
    golden: GoldenOption = None,
    database_url: DatabaseOption = None,
    model: ModelOption = None,
) -> None:
    """Compare configurations to the first with a paired significance test."""
    if len(configs) < 2:
        typer.echo("compare 至少需要两个配置", err=True)
        raise typer.Exit(2)
    if test not in ("student", "fisher"):
        typer.echo("--test 只能是 student 或 fisher", err=True)
        raise typer.Exit(2)
    _evaluate(configs, split, golden, database_url, model, test, max_p)


@app.command("sweep")
def sweep_command(
    sweep_file: Annotated[
        Path | None, typer.Argument(help="扫描文件（默认 evaluation/configs/sweep.yaml）")
    ] = None,
    write_default: Annotated[
        bool,
        typer.Option("--write-default", help="把选中的配置写入 evaluation/configs/default.yaml"),
    ] = False,
    golden: GoldenOption = None,
    database_url: DatabaseOption = None,
    model: ModelOption = None,
) -> None:
    """Sweep fusion parameters: choose on dev, report on test, optionally write the default."""
    from evaluation.configuration import CONFIG_DIR, DEFAULT_CONFIG_PATH, differences
    from evaluation.errors import EvaluationError
    from evaluation.session import sweep_and_report
    from evaluation.sweep import load_sweep
    from indexing.errors import IndexingError
    from matcher.errors import MatcherError

    started = time.monotonic()
    try:
        spec = load_sweep(sweep_file or CONFIG_DIR / "sweep.yaml")
        result, folder = sweep_and_report(
            harness=_harness(database_url, model), golden=_golden(golden), spec=spec,
            command=_command(), root=Settings().var_dir / "reports", now=datetime.now(),
            write_default=DEFAULT_CONFIG_PATH if write_default else None,
        )  # fmt: skip
    except (EvaluationError, IndexingError, MatcherError) as error:
        raise _fail(error) from error
    changed = differences(spec.base.match, result.chosen.match)
    typer.echo(f"开发集上评估了 {len(result.points)} 个候选；选中的配置相对 {spec.base.name}：")
    for key, (before, after) in changed.items():
        typer.echo(f"  {key}: {before} → {after}")
    if not changed:
        typer.echo("  （无改动）")
    tested = tuple(e for e in (result.base_test, result.chosen_test) if e is not None)
    if tested:
        _summary(tested, folder, started)
    else:
        typer.echo(f"报告：{folder / 'report.html'}")
    if write_default:
        typer.echo(f"已写入 {DEFAULT_CONFIG_PATH}")


@app.command("pool")
def pool(
    systems: Annotated[
        list[str] | None, typer.Argument(help="参与汇集的配置（默认 bm25 dense default）")
    ] = None,
    depth: Annotated[int, typer.Option("--depth", min=1, max=50, help="每个系统取前几名")] = 20,
    out: Annotated[
        Path | None, typer.Option("--out", help="评判表（默认 var/pools/<时间>-pool.tsv）")
    ] = None,
    golden: GoldenOption = None,
    database_url: DatabaseOption = None,
    model: ModelOption = None,
) -> None:
    """Write a judging sheet: each need's pooled resources, shuffled, judged pairs left out."""
    from evaluation.errors import EvaluationError
    from evaluation.golden import GOLDEN_DIR, QUERIES_FILE, read_queries
    from evaluation.session import pool_sheet, resolve_config

    folder = golden or GOLDEN_DIR
    target = out or Settings().var_dir / "pools" / f"{datetime.now():%Y%m%d-%H%M%S}-pool.tsv"
    try:
        configs = [resolve_config(ref) for ref in systems or ["bm25", "dense", "default"]]
        needs, rows = pool_sheet(
            harness=_harness(database_url, model), queries=read_queries(folder / QUERIES_FILE),
            configs=configs, depth=depth, judgments=folder / "judgments.tsv", out=target,
        )  # fmt: skip
    except EvaluationError as error:
        raise _fail(error) from error
    typer.echo(f"评判表：{target}（{needs} 条需求待评，共 {rows} 行；已评判的组合未列入）")


@app.command("qrels")
def qrels(
    out: Annotated[
        Path | None, typer.Option("--out", help="输出（默认 黄金集目录/qrels.tsv）")
    ] = None,
    from_db: Annotated[
        bool, typer.Option("--from-db", help="从数据库中的评判导出（否则读 judgments.tsv）")
    ] = False,
    policy: Annotated[
        str, typer.Option("--policy", help="多人评判的合并：median 或 latest")
    ] = "median",
    golden: GoldenOption = None,
) -> None:
    """Export qrels.tsv from judgments.tsv or the database (judges merged by lower median)."""
    from evaluation.errors import EvaluationError
    from evaluation.golden import GOLDEN_DIR, write_qrels
    from evaluation.judgments_file import merged_qrels, read_judgments
    from registry.errors import RegistryError

    folder = golden or GOLDEN_DIR
    target = out or folder / "qrels.tsv"
    try:
        if from_db:
            from registry.db import make_engine, session_factory
            from registry.services.judgments import export_qrels

            with session_factory(make_engine(Settings().database_url))() as session:
                exported = export_qrels(session=session, policy=policy)
        else:
            exported = merged_qrels(read_judgments(folder / "judgments.tsv"))
    except (EvaluationError, RegistryError) as error:
        raise _fail(error) from error
    write_qrels(target, exported)
    pairs = sum(len(j) for j in exported.values())
    typer.echo(f"已写入 {target}：{len(exported)} 条需求，{pairs} 个评判")


@app.command("bundles")
def bundles(
    configs: Annotated[
        list[str] | None, typer.Argument(help="配置名或 YAML 路径（默认 default）")
    ] = None,
    split: SplitOption = "test",
    golden: GoldenOption = None,
    database_url: DatabaseOption = None,
    model: ModelOption = None,
) -> None:
    """Score the bundles of the multi-aspect needs (precision, recall, missed aspects)."""
    from evaluation.bundles import (
        SUMMARY_HEADERS,
        bundle_blocks,
        bundles_json,
        evaluate_bundles,
        summary_rows,
    )
    from evaluation.errors import EvaluationError
    from evaluation.report.writer import write_report
    from evaluation.session import resolve_config
    from evaluation.split import select
    from indexing.errors import IndexingError
    from matcher.errors import MatcherError

    started = time.monotonic()
    try:
        resolved = [resolve_config(ref) for ref in configs or ["default"]]
        part = select(_golden(golden), split)
        harness = _harness(database_url, model)
        evaluations = [
            evaluate_bundles(name=c.name, matcher=harness.pool.matcher(c), golden=part,
                             config=c.match)
            for c in resolved
        ]  # fmt: skip
    except (EvaluationError, IndexingError, MatcherError) as error:
        raise _fail(error) from error
    folder = write_report(
        root=Settings().var_dir / "reports",
        name=f"bundles-{'-'.join(c.name for c in resolved)}-{split}",
        title=f"多方面需求的资源组合（{part.name}）",
        blocks=bundle_blocks(evaluations, golden=part, titles=harness.titles(), command=_command()),
        now=datetime.now(),
        data=bundles_json(evaluations),
    )
    for row in (SUMMARY_HEADERS, *summary_rows(evaluations)):
        typer.echo("  ".join(row))
    typer.echo(f"报告：{folder / 'report.html'}")
    typer.echo(f"用时 {time.monotonic() - started:.1f} 秒")
