"""Art.19(2) and Art.21: a 3-year ban on applying after removal or false material."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from registry.findings import Finding
from registry.rules.facts import ApplicantFacts, BanFacts, SubmissionFacts
from registry.rules.periods import add_years
from registry.rules.wording import zh_date

BAN_YEARS = 3  # Art.19(2) 取消其3年内申报资格; Art.21 3年内不得再次申报


def ban_end(start: date) -> date:
    """Last day of a ban decided on `start`: the corresponding day 3 years on (Civil Code 202).

    The decision day itself is not counted (民法典第二百零一条), so a ban decided on
    2024-03-10 runs to 2027-03-10 inclusive; one decided on 2024-02-29 runs to 2027-02-28.
    """
    return add_years(start, BAN_YEARS)


def active_ban(*, bans: Iterable[BanFacts], on: date) -> BanFacts | None:
    """The ban in force on `on` (the one ending last if several overlap), or None."""
    current = [ban for ban in bans if ban.starts_on <= on <= ban.ends_on]
    return max(current, key=lambda ban: ban.ends_on, default=None)


def check_bans(*, applicant: ApplicantFacts, submission: SubmissionFacts) -> list[Finding]:
    """A blocking finding when a ban is in force on the submission date, with its end date."""
    on = submission.submitted_on
    ban = active_ban(bans=applicant.bans, on=on)
    if ban is None:
        return []
    number = ban.article.removeprefix("Art.").partition("(")[0]
    return [
        Finding(
            f"art{number}.banned",
            ban.article,
            f"申报单位自{zh_date(ban.starts_on)}起被取消申报资格（{ban.reason}），"
            f"禁止期至{zh_date(ban.ends_on)}届满，申报日{zh_date(on)}仍在禁止期内；"
            f"可于{zh_date(ban.ends_on + timedelta(days=1))}起重新申报。",
            loc=("applicant", "bans", applicant.bans.index(ban)),
        )
    ]
