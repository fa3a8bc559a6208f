"""The harness: configurations run over golden needs on shared indexes, scored, timed.

`Harness.evaluate(config, golden)` is the one call the CLI, the sweep and the quality test
use. `GoldenEvaluator` follows the sentence-transformers evaluator contract
(`__call__(...) -> dict[str, float]` with a `primary_metric`) for callers that want figures only.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from evaluation.configuration import EvalConfig
from evaluation.constraints import restrict_to_filters
from evaluation.golden import GoldenSet
from evaluation.index import IndexPool
from evaluation.metrics import PRIMARY_METRIC
from evaluation.runner import RUN_DEPTH, Progress, RunResult, run_config
from evaluation.scoring import RunEvaluation, evaluate_run
from evaluation.split import select

ProgressFactory = Callable[[str, int], Progress]  # (configuration name, needs) -> callback


@dataclass
class Harness:
    """Evaluates configurations; indexes come from `pool`, built once per model and dictionary."""

    pool: IndexPool
    depth: int = RUN_DEPTH
    progress: ProgressFactory | None = None
    seconds: dict[str, float] = field(default_factory=dict)  # configuration -> run time

    def run(self, config: EvalConfig, golden: GoldenSet) -> RunResult:
        """Run `config` over every need of `golden` (its judgments are not read)."""
        matcher = self.pool.matcher(config)
        callback = (
            None if self.progress is None else self.progress(config.name, len(golden.queries))
        )
        started = time.perf_counter()
        run = run_config(
            matcher=matcher, golden=golden, config=config, depth=self.depth, progress=callback
        )
        self.seconds[config.name] = time.perf_counter() - started
        return run

    def evaluate(self, config: EvalConfig, golden: GoldenSet) -> RunEvaluation:
        """Run `config` over every need of `golden` and score it."""
        run = self.run(config, golden)
        return evaluate_run(restrict_to_filters(golden, self.pool.matcher(config)), run)

    def titles(self) -> dict[str, str]:
        """Resource code -> title, for reports."""
        return {view.resource_code: view.title for view in self.pool.views}


class GoldenEvaluator:
    """Figures of a configuration on one split of a golden set: `evaluator(config)` -> metrics."""

    primary_metric = PRIMARY_METRIC

    def __init__(self, *, harness: Harness, golden: GoldenSet, split: str = "test") -> None:
        self.harness = harness
        self.golden = select(golden, split)
        self.split = split

    def __call__(self, config: EvalConfig) -> Mapping[str, float]:
        """Mean ranking metrics, plus the no-fit rates when the split has such needs."""
        evaluation = self.harness.evaluate(config, self.golden)
        figures = dict(evaluation.means)
        nofit = evaluation.nofit
        if nofit.abstention_rate is not None:
            figures["nofit_abstention_rate"] = nofit.abstention_rate
        if nofit.false_no_suitable_rate is not None:
            figures["false_no_suitable_rate"] = nofit.false_no_suitable_rate
        return figures
