"""Art.8 registration data: credit code, city and province."""

from __future__ import annotations

from registry.rules.art8 import check_registration
from registry.uscc import make_uscc
from tests.unit.rules.builders import applicant, codes, only


def test_guangdong_and_outside_applicants_pass() -> None:
    assert check_registration(applicant=applicant()) == []
    outside = applicant(city="省外", province="湖南省", uscc=make_uscc("91430100MA4L0ABC1"))
    assert check_registration(applicant=outside) == []


def test_wrong_check_character() -> None:
    finding = only(
        check_registration(applicant=applicant(uscc="91440101MA59ABCD1X")), "art8.uscc_invalid"
    )
    assert finding.article == "Art.8"
    assert "校验位错误：应为 D" in finding.message


def test_unknown_city() -> None:
    finding = only(check_registration(applicant=applicant(city="北京市")), "art8.city_unknown")
    assert "“北京市”" in finding.message
    assert finding.loc == ("applicant", "city")


def test_city_and_province_disagree() -> None:
    assert codes(check_registration(applicant=applicant(city="省外"))) == ["art8.province_mismatch"]
    assert codes(check_registration(applicant=applicant(province="湖南省"))) == [
        "art8.province_mismatch"
    ]
