"""Art.5 directions and consortia, Art.2 forms."""

from __future__ import annotations

from registry.reference import Direction, Form
from registry.rules.art5 import check_scope
from tests.unit.rules.builders import codes, only, resource


def test_every_direction_and_form_of_the_measures_is_accepted() -> None:
    for form in Form:
        assert check_scope(resource=resource(directions=tuple(Direction), form=form)) == []


def test_unknown_direction() -> None:
    findings = check_scope(resource=resource(directions=(Direction.AI, "元宇宙")))
    finding = only(findings, "art5.direction_invalid")
    assert finding.article == "Art.5"
    assert finding.loc == ("resource", "directions", 1)
    assert "“元宇宙”" in finding.message and "综合赋能" in finding.message


def test_consortium_with_comprehensive_direction_passes() -> None:
    res = resource(directions=(Direction.COMPREHENSIVE,), consortium=("深圳某软件有限公司",))
    assert check_scope(resource=res) == []


def test_consortium_without_comprehensive_direction() -> None:
    res = resource(directions=(Direction.AI,), consortium=("深圳某软件有限公司", "东莞某学院"))
    finding = only(check_scope(resource=res), "art5.consortium_not_comprehensive")
    assert finding.article == "Art.5"
    assert "深圳某软件有限公司、东莞某学院" in finding.message


def test_blank_consortium_member() -> None:
    res = resource(directions=(Direction.COMPREHENSIVE,), consortium=("深圳某软件有限公司", " "))
    assert only(check_scope(resource=res), "art5.consortium_member_blank").loc == (
        "resource",
        "consortium",
        1,
    )


def test_form_missing_or_unknown() -> None:
    assert codes(check_scope(resource=resource(form=None))) == ["art2.form_missing"]
    assert codes(check_scope(resource=resource(form=""))) == ["art2.form_missing"]
    finding = only(check_scope(resource=resource(form="咨询服务")), "art2.form_invalid")
    assert finding.article == "Art.2"
    assert "“咨询服务”" in finding.message
