"""Art.9 completeness: what exactly is missing from the materials (Art.11 voids incomplete ones)."""

from __future__ import annotations

from registry.findings import Finding
from registry.reference import INDUSTRIES
from registry.rules.documents import QUALIFYING_KINDS, article_of, resource_documents
from registry.rules.facts import CaseFacts, ResourceFacts, SubmissionFacts
from registry.rules.wording import missing, zh_document

MIN_CASES = 3  # Art.9(2): 3个及以上

_RESOURCE_TEXTS = (
    ("summary", "技术简介"),
    ("advantages", "核心优势"),
    ("indicators", "性能指标"),
    ("scenarios", "应用场景"),
)
_CASE_TEXTS = (
    ("client", "服务对象"),
    ("implementation", "实施情况"),
    ("results", "取得成效"),
    ("feedback", "用户反馈"),
)
_CASE_DATES = (("completed_on", "完成日期"), ("feedback_on", "用户反馈日期"))


def check_completeness(*, resource: ResourceFacts, submission: SubmissionFacts) -> list[Finding]:
    """Art.9(1)-(3), (5): resource information, cases, evidence, commitment, files (see finance)."""
    findings = [*_resource_information(resource), *_cases(resource)]
    findings += _qualifying_evidence(resource)
    if not submission.commitment_signed:
        findings.append(
            Finding(
                "art9.commitment_missing",
                "Art.9(5)",
                "未签署承诺书（对申报材料真实性、合规性及无重大事故、无严重失信记录等情况的书面承诺）。",
                loc=("submission", "commitment_signed"),
            )
        )
    findings += _files(resource)
    return findings


def _resource_information(resource: ResourceFacts) -> list[Finding]:
    findings = [
        Finding(
            "art9.resource_info_missing",
            "Art.9(1)",
            f"缺少赋能资源的{label}。",
            loc=("resource", name),
        )
        for name, label in _RESOURCE_TEXTS
        if missing(getattr(resource, name))
    ]
    if not resource.directions:
        findings.append(
            Finding(
                "art9.directions_missing",
                "Art.9(1)",
                "未选择赋能方向（第五条规定的赋能范围，至少一项）。",
                loc=("resource", "directions"),
            )
        )
    if not resource.industries:
        findings.append(
            Finding(
                "art9.industries_missing",
                "Art.9(1)",
                "未选择赋能重点行业（GB/T 4754-2017 制造业大类 C13–C43，至少一项）。",
                loc=("resource", "industries"),
            )
        )
    findings += [
        Finding(
            "art9.industry_invalid",
            "Art.9(1)",
            f"赋能重点行业代码“{code}”无效（应为 GB/T 4754-2017 制造业大类 C13–C43）。",
            loc=("resource", "industries", index),
        )
        for index, code in enumerate(resource.industries)
        if code not in INDUSTRIES
    ]
    return findings


def _cases(resource: ResourceFacts) -> list[Finding]:
    findings = []
    count = len(resource.cases)
    if count < MIN_CASES:
        findings.append(
            Finding(
                "art9.cases_too_few",
                "Art.9(2)",
                f"典型案例需 {MIN_CASES} 个及以上，现有 {count} 个，还缺 {MIN_CASES - count} 个。",
                loc=("resource", "cases"),
            )
        )
    for index, case in enumerate(resource.cases):
        absent = case_gaps(case)
        if absent:
            findings.append(
                Finding(
                    "art9.case_incomplete",
                    "Art.9(2)",
                    f"{case_label(index, case)}缺少：{'、'.join(absent)}。",
                    loc=("resource", "cases", index),
                )
            )
    return findings


def case_gaps(case: CaseFacts) -> list[str]:
    """Chinese names of what an Art.9(2) case lacks, in form order."""
    gaps = [label for name, label in _CASE_TEXTS if missing(getattr(case, name))]
    gaps += [label for name, label in _CASE_DATES if getattr(case, name) is None]
    return gaps


def case_label(index: int, case: CaseFacts) -> str:
    """How messages name a case: 案例 2《…》 (numbered from 1, as the applicant sees them)."""
    title = f"《{case.title.strip()}》" if not missing(case.title) else "（未命名）"
    return f"案例 {index + 1}{title}"


def _qualifying_evidence(resource: ResourceFacts) -> list[Finding]:
    if any(doc.kind in QUALIFYING_KINDS for doc in resource.evidence):
        return []
    return [
        Finding(
            "art9.evidence_missing",
            "Art.9(3)",
            "未提供任何资质佐证材料：应至少提供一项资质认定文件、知识产权证明（发明专利、实用新型专利、"
            "软件著作权）、参与制定标准的文件、产品质量认证或检验检测报告。",
            loc=("resource", "evidence"),
        )
    ]


def _files(resource: ResourceFacts) -> list[Finding]:
    return [
        Finding(
            "art9.evidence_file_missing",
            article_of(doc.kind),
            f"{zh_document(doc)}未上传文件。",
            loc=loc,
        )
        for loc, doc in resource_documents(resource)
        if not doc.has_file
    ]
