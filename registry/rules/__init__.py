"""The rules of the Measures as pure functions over frozen facts (no database).

Services fill the facts in `registry.rules.facts` from ORM rows and call `check_submission`;
every finding cites its article. `active_ban` / `ban_end` serve the Art.19(2) / Art.21 bans.
"""

from registry.rules.bans import active_ban, ban_end
from registry.rules.facts import (
    AccidentFacts,
    AccidentKind,
    AccidentSeverity,
    ApplicantFacts,
    BanFacts,
    CaseFacts,
    DirectEntryFacts,
    EvidenceFacts,
    ResourceFacts,
    SubmissionFacts,
    ViolationFacts,
)
from registry.rules.submission import blocking, check_submission

__all__ = [
    "AccidentFacts",
    "AccidentKind",
    "AccidentSeverity",
    "ApplicantFacts",
    "BanFacts",
    "CaseFacts",
    "DirectEntryFacts",
    "EvidenceFacts",
    "ResourceFacts",
    "SubmissionFacts",
    "ViolationFacts",
    "active_ban",
    "ban_end",
    "blocking",
    "check_submission",
]
