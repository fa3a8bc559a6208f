"""Art.7 conditions: years in the business, revenue, and a clean record."""

from __future__ import annotations

from datetime import date

from registry.findings import Finding, Severity
from registry.reference import OrgType
from registry.rules.art4 import on_dishonest_list
from registry.rules.facts import ApplicantFacts, SubmissionFacts
from registry.rules.periods import add_years, window_start, within_years_before
from registry.rules.wording import missing, zh_cny, zh_date

MIN_YEARS_IN_BUSINESS = 2  # Art.7(1)
MIN_AVERAGE_REVENUE = 10_000_000  # Art.7(2): 年均不低于1000万元
REVENUE_YEARS = 2  # Art.7(2): 近2年
VIOLATION_WINDOW_YEARS = 3  # Art.7(5): 近3年
# Art.7(2) innovation subjects judged on technology rather than revenue.
REVENUE_EXEMPT_TYPES = frozenset(
    {OrgType.UNIVERSITY, OrgType.RESEARCH_INSTITUTE, OrgType.NEW_RND_INSTITUTION}
)


def check_conditions(*, applicant: ApplicantFacts, submission: SubmissionFacts) -> list[Finding]:
    """Art.7(1) years in business, Art.7(2) revenue, Art.7(5) violations and credit lists."""
    on = submission.submitted_on
    return [
        *_years_in_business(applicant, submission),
        *_revenue(applicant, on),
        *_record(applicant, on),
    ]


def revenue_exemption(applicant: ApplicantFacts) -> str | None:
    """Why the applicant is exempt from the Art.7(2) revenue test, in Chinese; None if not."""
    if applicant.org_type in REVENUE_EXEMPT_TYPES:
        return f"申报单位为{applicant.org_type.value}"
    if applicant.innovative_sme:
        return "申报单位为创新型中小企业"
    return None


def _years_in_business(applicant: ApplicantFacts, submission: SubmissionFacts) -> list[Finding]:
    loc = ("applicant", "business_since")
    since = applicant.business_since
    on = submission.submitted_on
    if since is None:
        return [
            Finding(
                "art7.business_since_missing",
                "Art.7(1)",
                "未填写从事申报方向相关业务的起始日期，无法核查业务年限。",
                loc=loc,
            )
        ]
    full = add_years(since, MIN_YEARS_IN_BUSINESS)
    if full <= on:
        return []
    shortfall = (
        f"申报单位自{zh_date(since)}起从事相关业务，至申报日{zh_date(on)}不足"
        f"{MIN_YEARS_IN_BUSINESS}年（{zh_date(full)}方满{MIN_YEARS_IN_BUSINESS}年）"
    )
    waiver = submission.years_waiver
    if waiver is not None and not missing(waiver):
        return [
            Finding(
                "art7.years_waived",
                "Art.7(1)",
                f"{shortfall}；省工业和信息化厅已核实放宽业务年限要求，理由：{waiver.strip().rstrip('。')}。",
                Severity.INFO,
                loc=("submission", "years_waiver"),
            )
        ]
    return [
        Finding(
            "art7.years_in_business_too_short",
            "Art.7(1)",
            f"{shortfall}，且未经省工业和信息化厅核实放宽业务年限要求。",
            loc=loc,
        )
    ]


def _revenue(applicant: ApplicantFacts, on: date) -> list[Finding]:
    loc = ("applicant", "revenue")
    exemption = revenue_exemption(applicant)
    if exemption is not None:
        return [_exempt(exemption, loc)]
    years = [on.year - offset for offset in range(REVENUE_YEARS, 0, -1)]
    absent = [year for year in years if year not in applicant.revenue]
    if absent:
        listed = "、".join(f"{year}年" for year in absent)
        return [
            Finding(
                "art7.revenue_missing",
                "Art.7(2)",
                f"缺少{listed}营业收入，无法核查申报年度前两个完整年度"
                f"（{years[0]}年、{years[-1]}年）的年均营业收入。",
                loc=loc,
            )
        ]
    amounts = [applicant.revenue[year] for year in years]
    if sum(amounts) >= MIN_AVERAGE_REVENUE * REVENUE_YEARS:  # integers: no rounding at the line
        return []
    detail = "、".join(f"{y}年 {zh_cny(a)}" for y, a in zip(years, amounts, strict=True))
    average = sum(amounts) / REVENUE_YEARS
    return [
        Finding(
            "art7.revenue_too_low",
            "Art.7(2)",
            f"近两年营业收入为{detail}，年均 {zh_cny(average)}，"
            f"低于 {zh_cny(MIN_AVERAGE_REVENUE)}。",
            loc=loc,
        )
    ]


def _exempt(exemption: str, loc: tuple[str, ...]) -> Finding:
    return Finding(
        "art7.revenue_exempt",
        "Art.7(2)",
        f"{exemption}，属第七条第（二）项所列创新主体，重点考察技术先进性与赋能潜力，"
        "不作营收规模硬性要求。",
        Severity.INFO,
        loc=loc,
    )


def _record(applicant: ApplicantFacts, on: date) -> list[Finding]:
    start = window_start(on, VIOLATION_WINDOW_YEARS)
    findings = [
        Finding(
            "art7.major_violation",
            "Art.7(5)",
            f"申报单位于{zh_date(v.occurred_on)}有重大违法违规记录（{v.description}），"
            f"在申报日前3年内（{zh_date(start)}起）。",
            loc=("applicant", "violations", i),
        )
        for i, v in enumerate(applicant.violations)
        if v.major and within_years_before(v.occurred_on, on, VIOLATION_WINDOW_YEARS)
    ]
    if applicant.abnormal_operation:
        findings.append(
            Finding(
                "art7.abnormal_operation",
                "Art.7(5)",
                "申报单位被列入经营异常名录。",
                loc=("applicant", "credit"),
            )
        )
    if on_dishonest_list(applicant, on):
        findings.append(
            Finding(
                "art7.dishonest_listed",
                "Art.7(5)",
                "申报单位被列入严重失信主体名单，不符合第七条第（五）项诚信经营要求。",
                loc=("applicant", "credit"),
            )
        )
    return findings
