"""Art.4 preconditions every applicant must meet (基本前提条件)."""

from __future__ import annotations

from datetime import date, timedelta

from registry.findings import Finding
from registry.rules.facts import MAJOR_OR_ABOVE, AccidentSeverity, ApplicantFacts, SubmissionFacts
from registry.rules.periods import window_start, within_years_before
from registry.rules.wording import zh_date

ACCIDENT_WINDOW_YEARS = 3  # Art.4(4): 申报截止日前3年内
_GRADES = frozenset(AccidentSeverity)

_DECLARATIONS = (
    # (field, article, code, what the applicant failed to declare)
    ("independent_legal_person", "Art.4(1)", "art4.not_independent_legal_person",
     "申报单位未声明具有独立法人资格"),
    ("operating_normally", "Art.4(1)", "art4.not_operating_normally",
     "申报单位未声明生产经营状况正常"),
    ("facilities_and_team", "Art.4(2)", "art4.no_facilities_or_team",
     "申报单位未声明拥有开展赋能服务所需的场所设施、专业人才团队及技术支撑能力"),
    ("sound_finance", "Art.4(3)", "art4.finance_unsound",
     "申报单位未声明财务管理制度健全、会计核算规范"),
)  # fmt: skip


def check_preconditions(*, applicant: ApplicantFacts, submission: SubmissionFacts) -> list[Finding]:
    """Art.4(1)-(5): declarations, major accidents before the batch deadline, dishonesty list."""
    findings = [
        Finding(code, article, f"{text}，不符合基本前提条件。", loc=("applicant", name))
        for name, article, code, text in _DECLARATIONS
        if not getattr(applicant, name)
    ]
    findings += _accidents(applicant, submission.batch_deadline_on)
    findings += _dishonesty(applicant, submission.submitted_on)
    return findings


def _accidents(applicant: ApplicantFacts, deadline: date) -> list[Finding]:
    findings = []
    start = window_start(deadline, ACCIDENT_WINDOW_YEARS)
    for index, accident in enumerate(applicant.accidents):
        loc = ("applicant", "accidents", index)
        if accident.severity not in _GRADES:
            findings.append(
                Finding(
                    "art4.accident_severity_unknown",
                    "Art.4(4)",
                    f"{zh_date(accident.occurred_on)}的{accident.kind}事故等级“{accident.severity}”"
                    "无法识别（应为一般、较大、重大或特别重大），无法判断是否符合第四条第（四）项。",
                    loc=loc,
                )
            )
        elif accident.severity in MAJOR_OR_ABOVE and within_years_before(
            accident.occurred_on, deadline, ACCIDENT_WINDOW_YEARS
        ):
            findings.append(
                Finding(
                    "art4.major_accident",
                    "Art.4(4)",
                    f"申报单位于{zh_date(accident.occurred_on)}发生{accident.severity}"
                    f"{accident.kind}事故，在申报截止日{zh_date(deadline)}前3年内"
                    f"（{zh_date(start)}起）。",
                    loc=loc,
                )
            )
    return findings


def on_dishonest_list(applicant: ApplicantFacts, on: date) -> bool:
    """True when the applicant is on the serious-dishonesty list on day `on`."""
    listed = applicant.dishonest_listed_on
    removed = applicant.dishonest_removed_on
    return listed is not None and listed <= on and (removed is None or removed > on)


def _dishonesty(applicant: ApplicantFacts, on: date) -> list[Finding]:
    listed = applicant.dishonest_listed_on
    if listed is None or listed > on:
        return []
    loc = ("applicant", "credit")
    removed = applicant.dishonest_removed_on
    if removed is None or removed > on:
        return [
            Finding(
                "art4.dishonest_listed",
                "Art.4(5)",
                f"申报单位自{zh_date(listed)}起被列入严重失信主体名单，至申报日{zh_date(on)}尚未移出。",
                loc=loc,
            )
        ]
    ends = applicant.punishment_ends_on
    if ends is None:
        return [
            Finding(
                "art4.punishment_end_unknown",
                "Art.4(5)",
                f"申报单位曾被列入严重失信主体名单（{zh_date(listed)}列入，{zh_date(removed)}移出），"
                "但未登记惩戒执行期届满日期，无法确认惩戒执行期已届满。",
                loc=loc,
            )
        ]
    if ends >= on:  # the punishment runs through its last day
        return [
            Finding(
                "art4.punishment_not_over",
                "Art.4(5)",
                f"申报单位已于{zh_date(removed)}移出严重失信主体名单，但惩戒执行期至"
                f"{zh_date(ends)}届满，申报日{zh_date(on)}尚在执行期内；"
                f"可于{zh_date(ends + timedelta(days=1))}起申报。",
                loc=loc,
            )
        ]
    return []
