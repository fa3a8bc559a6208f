"""Art.16-17: which route an application may take (municipal, provincial-direct, direct entry)."""

from __future__ import annotations

from registry.findings import Finding
from registry.reference import OrgType
from registry.rules.art8 import outside_guangdong
from registry.rules.facts import ApplicantFacts, SubmissionFacts
from registry.rules.wording import zh_date
from registry.seed_schema import Route

PROVINCIAL_TYPES = frozenset({OrgType.CENTRAL_SOE, OrgType.PROVINCIAL_SOE})


def provincial_reason(applicant: ApplicantFacts) -> str | None:
    """Why Art.16 sends the applicant straight to the province, in Chinese; None if it does not."""
    if outside_guangdong(applicant):
        return "申报单位及其赋能资源不属于广东省"
    if applicant.org_type in PROVINCIAL_TYPES:
        return f"申报单位为{applicant.org_type.value}"
    return None


def check_route(*, applicant: ApplicantFacts, submission: SubmissionFacts) -> list[Finding]:
    """Art.16 provincial-direct only when it applies (and then required); Art.17 certification."""
    route = submission.route
    reason = provincial_reason(applicant)
    loc = ("submission", "route")
    if route is Route.MUNICIPAL and reason is not None:
        return [
            Finding(
                "art16.route_must_be_provincial",
                "Art.16",
                f"{reason}，应由省工业和信息化厅直接认定（省级直报），不经地市初审。",
                loc=loc,
            )
        ]
    if route is Route.PROVINCIAL_DIRECT and reason is None:
        return [
            Finding(
                "art16.provincial_route_not_allowed",
                "Art.16",
                f"省级直报仅限赋能资源不属于本省的单位及中央直属、省属企业；申报单位为"
                f"{applicant.city}的{applicant.org_type.value}，应向{applicant.city}"
                "工业和信息化部门申报。",
                loc=loc,
            )
        ]
    if route is Route.DIRECT_ENTRY:
        return _direct_entry(submission)
    return []


def _direct_entry(submission: SubmissionFacts) -> list[Finding]:
    entry = submission.direct_entry
    on = submission.submitted_on
    loc = ("submission", "direct_entry")
    if entry is None:
        message = (
            "直接入库须登记省级以上政府部门对创新平台的认定文件"
            "（平台名称、文号、认定日期、有效期）。"
        )
        return [Finding("art17.certification_missing", "Art.17", message, loc=loc)]
    name = f"{entry.platform}（{entry.document}）"
    if entry.certified_on > on:
        message = f"{name}的认定日期{zh_date(entry.certified_on)}晚于申报日{zh_date(on)}，请核对。"
        return [Finding("art17.certification_not_yet_valid", "Art.17", message, loc=loc)]
    if entry.valid_until < on:  # valid through its last day
        message = (
            f"{name}有效期至{zh_date(entry.valid_until)}，申报日{zh_date(on)}已过期，不能直接入库。"
        )
        return [Finding("art17.certification_expired", "Art.17", message, loc=loc)]
    return []
