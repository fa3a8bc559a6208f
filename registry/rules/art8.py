"""Art.8 registration data the other rules rely on: credit code, city and province."""

from __future__ import annotations

from registry.findings import Finding
from registry.reference import OUTSIDE_GUANGDONG, is_guangdong_city
from registry.rules.facts import ApplicantFacts
from registry.uscc import uscc_problem

GUANGDONG = "广东省"


def check_registration(*, applicant: ApplicantFacts) -> list[Finding]:
    """Art.8: a valid USCC, a known city (one of the 21, or 省外) that agrees with the province."""
    findings = []
    problem = uscc_problem(applicant.uscc)
    if problem is not None:
        findings.append(
            Finding("art8.uscc_invalid", "Art.8", f"{problem}。", loc=("applicant", "uscc"))
        )
    city = applicant.city
    if city != OUTSIDE_GUANGDONG and not is_guangdong_city(city):
        findings.append(
            Finding(
                "art8.city_unknown",
                "Art.8",
                f"未知城市“{city}”：应为广东省 21 个地级以上市之一，或“{OUTSIDE_GUANGDONG}”。",
                loc=("applicant", "city"),
            )
        )
    elif (city == OUTSIDE_GUANGDONG) == (applicant.province == GUANGDONG):
        findings.append(
            Finding(
                "art8.province_mismatch",
                "Art.8",
                f"所在城市“{city}”与所在省份“{applicant.province}”不一致："
                f"城市为“{OUTSIDE_GUANGDONG}”时省份应为外省，否则应为{GUANGDONG}。",
                loc=("applicant", "province"),
            )
        )
    return findings


def outside_guangdong(applicant: ApplicantFacts) -> bool:
    """True when the applicant registered outside Guangdong (Art.16 sends it to the province)."""
    return applicant.city == OUTSIDE_GUANGDONG or applicant.province != GUANGDONG
