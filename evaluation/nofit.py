"""Needs nothing fits: does the system say "no suitable resource", and only for them?

A need is *answerable* when some resource has grade ≥ RELEVANT_GRADE (2, "helps with part of
it") and *no-fit* otherwise — the same threshold as the binary metrics: a need whose best
resources merely share its topic (grade 1) is one the service should decline, not answer.
No-fit needs are left out of the ranking metrics (every metric would be 0 or undefined) and
scored here instead:

- abstention rate = no-fit needs answered `no_suitable_resource` / no-fit needs (higher is better)
- false "no suitable" rate = answerable needs answered `no_suitable_resource` / answerable needs
  (lower is better)

Needs tagged `no_fit` whose judgments say otherwise (or the reverse) are listed, so the golden
set's writers can fix one or the other.
"""

from __future__ import annotations

from dataclasses import dataclass

from evaluation.golden import GoldenSet
from evaluation.metrics import RELEVANT_GRADE
from evaluation.runner import RunResult

NO_FIT_TAG = "no_fit"


def is_answerable(judged: dict[str, int]) -> bool:
    """Some resource helps (grade ≥ RELEVANT_GRADE)."""
    return any(grade >= RELEVANT_GRADE for grade in judged.values())


@dataclass(frozen=True)
class NoFitSummary:
    """Abstentions on no-fit needs and false abstentions on answerable ones."""

    no_fit: tuple[str, ...]
    abstained: tuple[str, ...]  # no-fit needs answered "no suitable resource" (right)
    answerable: tuple[str, ...]
    false_no_suitable: tuple[str, ...]  # answerable needs answered "no suitable" (wrong)
    tag_disagreements: tuple[str, ...]

    @property
    def abstention_rate(self) -> float | None:
        """Share of no-fit needs declined (None without no-fit needs)."""
        return len(self.abstained) / len(self.no_fit) if self.no_fit else None

    @property
    def false_no_suitable_rate(self) -> float | None:
        """Share of answerable needs wrongly declined (None without answerable needs)."""
        return len(self.false_no_suitable) / len(self.answerable) if self.answerable else None

    def balanced_accuracy(self) -> float | None:
        """Mean of the abstention rate and 1 − the false rate (None unless both exist)."""
        right, wrong = self.abstention_rate, self.false_no_suitable_rate
        return None if right is None or wrong is None else (right + 1.0 - wrong) / 2.0


def no_fit_summary(golden: GoldenSet, run: RunResult) -> NoFitSummary:
    """Score the run's "no suitable resource" answers against the judgments."""
    no_fit, abstained, answerable, false_no, disagree = [], [], [], [], []
    for query in golden.queries:
        qid = query.query_id
        declined = run.results[qid].no_suitable
        fits = is_answerable(golden.qrels[qid])
        if fits == (NO_FIT_TAG in query.tags):
            disagree.append(qid)
        if fits:
            answerable.append(qid)
            if declined:
                false_no.append(qid)
        else:
            no_fit.append(qid)
            if declined:
                abstained.append(qid)
    return NoFitSummary(
        no_fit=tuple(no_fit),
        abstained=tuple(abstained),
        answerable=tuple(answerable),
        false_no_suitable=tuple(false_no),
        tag_disagreements=tuple(disagree),
    )
