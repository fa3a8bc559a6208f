"""Sweeping ranking parameters: chosen on the DEV split only, the choice then reported on TEST.

A sweep file (`evaluation/configs/sweep.yaml`, format in `evaluation/formats.md`) names a base
configuration and stages. Each stage starts from the configuration the previous one chose (the
incumbent, always the first candidate, so a stage changes something only when a candidate is
strictly better), tries every point of its grid on the dev needs, and keeps the best by its
objective: a ranking metric (nDCG@10 by default) or `nofit_balanced_accuracy` for the
confidence thresholds, optionally under a cap on the false "no suitable resource" rate
(`max_false_no_suitable`): declining a need that has a fitting resource hides every result
from that manufacturer, which costs more than showing weak ones for a need nothing fits.
`choose()` is given the dev subset and nothing else; the test split is run once, after the
choice, by `sweep()`.

Grid keys are MatchConfig fields, `confidence.<field>` for thresholds, and two shorthands:
`bm25_share: s` sets bm25_weight = s and dense_weight = 1 − s; `candidate_depth: n` sets
bm25_depth = dense_depth = n.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from evaluation.configuration import EvalConfig, load_config
from evaluation.errors import ConfigInvalid
from evaluation.golden import GoldenSet
from evaluation.metrics import METRICS, PRIMARY_METRIC
from evaluation.scoring import RunEvaluation
from evaluation.split import select

NOFIT_OBJECTIVE = "nofit_balanced_accuracy"
Evaluate = Callable[[EvalConfig, GoldenSet], RunEvaluation]


@dataclass(frozen=True)
class Stage:
    """One coordinate of the search: a grid of changes and what it maximises."""

    name: str
    objective: str
    points: tuple[Mapping[str, Any], ...]
    max_false_no_suitable: float | None = None  # candidates declining more answerable needs lose

    def eligible(self, evaluation: RunEvaluation) -> bool:
        """Whether a candidate keeps the stage's cap on false "no suitable" answers."""
        rate = evaluation.nofit.false_no_suitable_rate
        cap = self.max_false_no_suitable
        return cap is None or rate is None or rate <= cap + 1e-12


@dataclass(frozen=True)
class SweepSpec:
    """A base configuration and the stages searched from it."""

    base: EvalConfig
    stages: tuple[Stage, ...]


@dataclass(frozen=True)
class SweepPoint:
    """One candidate of one stage, scored on the dev needs."""

    stage: str
    changes: Mapping[str, Any]
    evaluation: RunEvaluation
    objective: float | None
    eligible: bool = True

    @property
    def config(self) -> EvalConfig:
        """The candidate configuration."""
        return self.evaluation.run.config


@dataclass(frozen=True)
class SweepResult:
    """Every point tried on dev, the chosen configuration, and the figures on test."""

    spec: SweepSpec
    points: tuple[SweepPoint, ...]
    chosen: EvalConfig
    chosen_test: RunEvaluation | None
    base_test: RunEvaluation | None


def expand(changes: Mapping[str, Any]) -> dict[str, Any]:
    """Shorthands (bm25_share, candidate_depth) replaced by the MatchConfig fields they set."""
    out = {k: v for k, v in changes.items() if k not in ("bm25_share", "candidate_depth")}
    if "bm25_share" in changes:
        share = float(changes["bm25_share"])
        out |= {"bm25_weight": round(share, 6), "dense_weight": round(1.0 - share, 6)}
    if "candidate_depth" in changes:
        out |= {"bm25_depth": changes["candidate_depth"], "dense_depth": changes["candidate_depth"]}
    return out


def objective_of(evaluation: RunEvaluation, objective: str) -> float | None:
    """The value a stage maximises (None: not measurable on these needs)."""
    if objective == NOFIT_OBJECTIVE:
        return evaluation.nofit.balanced_accuracy()
    return evaluation.means[objective]


def choose(
    spec: SweepSpec, dev: GoldenSet, evaluate: Evaluate
) -> tuple[EvalConfig, list[SweepPoint]]:
    """Search the stages on `dev` (the only needs this function ever sees)."""
    incumbent = spec.base
    points: list[SweepPoint] = []
    seen: dict[Any, RunEvaluation] = {}  # a configuration met again (the incumbent) is not re-run
    for stage in spec.stages:
        best: SweepPoint | None = None
        for changes in ({}, *stage.points):
            config = incumbent.with_match(_label(stage.name, changes), **expand(changes))
            key = (config.model, config.tokenizer, config.match)
            if key not in seen:
                seen[key] = evaluate(config, dev)
            evaluation = seen[key]
            objective = objective_of(evaluation, stage.objective)
            eligible = stage.eligible(evaluation)
            point = SweepPoint(stage.name, dict(changes), evaluation, objective, eligible)
            points.append(point)
            if eligible and objective is not None and (best is None or _better(point, best)):
                best = point
        if best is not None:
            incumbent = best.config
    return incumbent, points


def _better(point: SweepPoint, best: SweepPoint) -> bool:
    assert point.objective is not None and best.objective is not None
    return point.objective > best.objective + 1e-12


def _label(stage: str, changes: Mapping[str, Any]) -> str:
    if not changes:
        return f"{stage}:incumbent"
    return f"{stage}:" + ",".join(f"{k}={v}" for k, v in changes.items())


def sweep(
    spec: SweepSpec, golden: GoldenSet, evaluate: Evaluate, *, name: str = "default"
) -> SweepResult:
    """Choose on the dev split, then run the choice and the base once on the test split."""
    chosen, points = choose(spec, select(golden, "dev"), evaluate)
    test = select(golden, "test")
    chosen = EvalConfig(
        name=name,
        match=chosen.match,
        description=f"chosen by funeng eval sweep on the dev split of {golden.name}",
        model=chosen.model,
        tokenizer=chosen.tokenizer,
    )
    chosen_test = evaluate(chosen, test) if test.queries else None
    base_test = evaluate(spec.base, test) if test.queries else None
    return SweepResult(spec, tuple(points), chosen, chosen_test, base_test)


def load_sweep(path: Path) -> SweepSpec:
    """Read a sweep file; the base configuration path is relative to the sweep file."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict) or "base" not in data or "stages" not in data:
        raise ConfigInvalid("扫描文件需要 base 与 stages", loc=str(path))
    base = load_config(Path(path).parent / str(data["base"]))
    stages = tuple(_stage(raw, i) for i, raw in enumerate(data["stages"], start=1))
    for stage in stages:  # refuse an impossible point now, not after an hour of runs
        for point in stage.points:
            base.with_match("check", **expand(point))
    return SweepSpec(base=base, stages=stages)


def _stage(raw: Any, number: int) -> Stage:
    if not isinstance(raw, dict) or not isinstance(raw.get("grid"), list):
        raise ConfigInvalid(f"第 {number} 个阶段需要 grid 列表", loc=f"stages[{number}]")
    objective = str(raw.get("objective", PRIMARY_METRIC))
    if objective not in (*METRICS, NOFIT_OBJECTIVE):
        raise ConfigInvalid(f"未知的目标指标：{objective}", loc=f"stages[{number}].objective")
    points: list[dict[str, Any]] = []
    for block in raw["grid"]:
        if not isinstance(block, dict) or not all(isinstance(v, list) for v in block.values()):
            raise ConfigInvalid("grid 的每一块都是 参数: [取值…] 的映射", loc=f"stages[{number}]")
        keys = list(block)
        points += [
            dict(zip(keys, values, strict=True)) for values in itertools.product(*block.values())
        ]
    cap = raw.get("max_false_no_suitable")
    if cap is not None and not (isinstance(cap, int | float) and 0 <= cap <= 1):
        raise ConfigInvalid("max_false_no_suitable 须在 0 到 1 之间", loc=f"stages[{number}]")
    return Stage(
        name=str(raw.get("name", f"stage{number}")),
        objective=objective,
        points=tuple(points),
        max_false_no_suitable=None if cap is None else float(cap),
    )


def stage_points(result: SweepResult, stage: str) -> Sequence[SweepPoint]:
    """The points of one stage, in the order tried."""
    return [p for p in result.points if p.stage == stage]
