"""Art.10-11: applications are accepted only within their quarterly batch."""

from __future__ import annotations

from registry.findings import Finding
from registry.rules.facts import SubmissionFacts
from registry.rules.wording import zh_date


def check_batch_window(*, submission: SubmissionFacts) -> list[Finding]:
    """Art.11: a submission before the batch opens or after its deadline is invalid."""
    on = submission.submitted_on
    opens, deadline = submission.batch_opens_on, submission.batch_deadline_on
    window = f"批次 {submission.batch_code} 的申报期为{zh_date(opens)}至{zh_date(deadline)}"
    if on < opens:
        return [
            Finding(
                "art11.before_opening",
                "Art.11",
                f"{window}，{zh_date(on)}提交时申报尚未开始，视为无效申报。",
                loc=("submission", "submitted_at"),
            )
        ]
    if on > deadline:  # the deadline day itself is on time until midnight in Guangdong
        return [
            Finding(
                "art11.after_deadline",
                "Art.11",
                f"{window}，{zh_date(on)}提交已逾期，视为无效申报。",
                loc=("submission", "submitted_at"),
            )
        ]
    return []
