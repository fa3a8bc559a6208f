"""The committed baseline of the default ranking on the TEST split, and the regression check.

`evaluation/baselines/default_test.json` holds the headline metrics (nDCG@10, Recall@20,
MRR@10) of `evaluation/configs/default.yaml` on the test split of the golden set, with how they
were made. The quality test (tests/quality/) fails when any falls below its baseline by more
than the tolerance (0.02 absolute). Raising the baseline is routine; lowering it needs a
before/after table in the commit message (evaluation/README.md).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from evaluation.metrics import HEADLINE, LABELS
from evaluation.scoring import RunEvaluation

BASELINE_DIR = Path(__file__).resolve().parent / "baselines"
DEFAULT_BASELINE = BASELINE_DIR / "default_test.json"
TOLERANCE = 0.02


@dataclass(frozen=True)
class Baseline:
    """Headline figures to hold, and where they come from."""

    golden: str
    split: str
    config: str
    needs: int
    answerable: int
    metrics: dict[str, float]
    tolerance: float = TOLERANCE
    created_at: str = ""
    command: str = ""
    all_metrics: dict[str, float] = field(default_factory=dict)


def baseline_of(
    evaluation: RunEvaluation,
    *,
    split: str,
    command: str,
    now: datetime,
    tolerance: float = TOLERANCE,
) -> Baseline:
    """The baseline an evaluation would set (headline metrics rounded to 4 places)."""
    return Baseline(
        golden=evaluation.golden.name.split(":")[0],
        split=split,
        config=evaluation.name,
        needs=len(evaluation.golden.queries),
        answerable=len(evaluation.per_query[HEADLINE[0]]),
        metrics={m: round(evaluation.means[m], 4) for m in HEADLINE},
        tolerance=tolerance,
        created_at=now.isoformat(timespec="seconds"),
        command=command,
        all_metrics={m: round(v, 4) for m, v in evaluation.means.items()},
    )


def write_baseline(path: Path, baseline: Baseline) -> None:
    """Write the baseline JSON."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(asdict(baseline), ensure_ascii=False, indent=2)
    path.write_text(text + "\n", encoding="utf-8")


def read_baseline(path: Path) -> Baseline:
    """Read a baseline JSON."""
    return Baseline(**json.loads(Path(path).read_text(encoding="utf-8")))


def regressions(baseline: Baseline, means: dict[str, float]) -> list[str]:
    """The headline metrics below baseline − tolerance, described for people (empty: fine)."""
    found = []
    for metric, held in baseline.metrics.items():
        value = means[metric]
        if value < held - baseline.tolerance:
            found.append(
                f"{LABELS[metric]} {value:.4f} < 基线 {held:.4f} − 容差 {baseline.tolerance:g}"
            )
    return found


def before_after(baseline: Baseline, means: dict[str, float]) -> str:
    """A markdown before/after table of the headline metrics (for a commit lowering a baseline)."""
    lines = ["| metric | baseline | now | Δ |", "| --- | ---: | ---: | ---: |"]
    for metric, held in baseline.metrics.items():
        value = means[metric]
        lines.append(f"| {LABELS[metric]} | {held:.4f} | {value:.4f} | {value - held:+.4f} |")
    return "\n".join(lines)
