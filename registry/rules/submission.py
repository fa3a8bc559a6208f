"""All the rules of the Measures a submission must meet, checked at once."""

from __future__ import annotations

from registry.findings import Finding
from registry.rules.art4 import check_preconditions
from registry.rules.art5 import check_scope
from registry.rules.art7 import check_conditions
from registry.rules.art8 import check_registration
from registry.rules.art9 import check_completeness
from registry.rules.art11 import check_batch_window
from registry.rules.art12 import check_timeliness
from registry.rules.bans import check_bans
from registry.rules.facts import ApplicantFacts, ResourceFacts, SubmissionFacts
from registry.rules.finance import check_finance
from registry.rules.routes import check_route


def check_submission(
    *, applicant: ApplicantFacts, resource: ResourceFacts, submission: SubmissionFacts
) -> list[Finding]:
    """Every finding for a submission, in article order: errors refuse it, the rest inform."""
    return [
        *check_scope(resource=resource),
        *check_preconditions(applicant=applicant, submission=submission),
        *check_conditions(applicant=applicant, submission=submission),
        *check_registration(applicant=applicant),
        *check_completeness(resource=resource, submission=submission),
        *check_finance(applicant=applicant, resource=resource, submission=submission),
        *check_batch_window(submission=submission),
        *check_timeliness(resource=resource, submission=submission),
        *check_route(applicant=applicant, submission=submission),
        *check_bans(applicant=applicant, submission=submission),
    ]


def blocking(findings: list[Finding]) -> list[Finding]:
    """The findings that refuse a submission (severity error)."""
    return [finding for finding in findings if finding.blocking]
