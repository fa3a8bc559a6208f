import pytest

from registry.uscc import check_character, is_valid_uscc, make_uscc, uscc_problem

# Worked by hand on a fully numeric body:
# 9 1 4 4 0 3 0 0 0 0 0 0 0 0 0 0 1 with weights 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28:
# 9*1 + 1*3 + 4*9 + 4*27 + 0 + 3*26 + 0*16 + ... + 1*28 = 9+3+36+108+78+28 = 262
# 262 mod 31 = 14 -> 31-14 = 17 -> CHARSET[17] = 'H'
HAND_WORKED_BODY = "91440300000000001"


def test_hand_worked_check_character() -> None:
    assert check_character(HAND_WORKED_BODY) == "H"
    assert is_valid_uscc(HAND_WORKED_BODY + "H")


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y43",  # published example in GB 32100-2015 documentation
        "91110000600037341L",
        "9144030071526726XG",
    ],
)
def test_known_valid_codes(code: str) -> None:
    assert uscc_problem(code) is None


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("91440300MA5F", "18 位"),
        ("91440300MA5FIIIII1", "不允许的字符"),
        ("91350100M000100Y44", "校验位错误"),
        ("914403A0MA5FXXXXX1", "行政区划码"),
    ],
)
def test_invalid_codes_say_why(code: str, fragment: str) -> None:
    problem = uscc_problem(code)
    assert problem is not None and fragment in problem


def test_make_uscc_round_trip() -> None:
    code = make_uscc("91441900MA4W12345")
    assert is_valid_uscc(code)
    assert not is_valid_uscc(code[:17] + ("0" if code[17] != "0" else "1"))
