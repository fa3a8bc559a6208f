"""Art.2 forms and Art.5 directions of a resource, and who may apply as a consortium."""

from __future__ import annotations

from registry.findings import Finding
from registry.reference import Direction, Form
from registry.rules.facts import ResourceFacts

_DIRECTIONS = frozenset(Direction)
_FORMS = frozenset(Form)


def check_scope(*, resource: ResourceFacts) -> list[Finding]:
    """Art.5 directions are known, a consortium only for 综合赋能, and Art.2 form is known."""
    findings = [
        Finding(
            "art5.direction_invalid",
            "Art.5",
            f"赋能方向“{value}”不在第五条规定的范围内（应为{'、'.join(_names(Direction))}之一）。",
            loc=("resource", "directions", index),
        )
        for index, value in enumerate(resource.directions)
        if value not in _DIRECTIONS
    ]
    findings += _consortium(resource)
    findings += _form(resource)
    return findings


def _names(vocabulary: type[Direction] | type[Form]) -> list[str]:
    return [member.value for member in vocabulary]


def _consortium(resource: ResourceFacts) -> list[Finding]:
    if not resource.consortium:
        return []
    findings = []
    if Direction.COMPREHENSIVE not in resource.directions:
        members = "、".join(resource.consortium)
        findings.append(
            Finding(
                "art5.consortium_not_comprehensive",
                "Art.5",
                f"只有综合赋能方向的资源可以由联合体申报；本资源未选择综合赋能，"
                f"却列有联合体成员：{members}。",
                loc=("resource", "consortium"),
            )
        )
    findings += [
        Finding(
            "art5.consortium_member_blank",
            "Art.5",
            f"联合体第 {index + 1} 个成员未填写单位名称。",
            loc=("resource", "consortium", index),
        )
        for index, name in enumerate(resource.consortium)
        if not name.strip()
    ]
    return findings


def _form(resource: ResourceFacts) -> list[Finding]:
    forms = "、".join(_names(Form))
    if resource.form is None or not resource.form.strip():
        return [
            Finding(
                "art2.form_missing",
                "Art.2",
                f"未填写资源形态（应为{forms}之一）。",
                loc=("resource", "form"),
            )
        ]
    if resource.form not in _FORMS:
        return [
            Finding(
                "art2.form_invalid",
                "Art.2",
                f"资源形态“{resource.form}”不在第二条规定的范围内（应为{forms}之一）。",
                loc=("resource", "form"),
            )
        ]
    return []
