"""Unified social credit code (统一社会信用代码) per GB 32100-2015."""

from __future__ import annotations

# GB 32100-2015 character set: digits and capital letters without I, O, S, V, Z.
CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {ch: i for i, ch in enumerate(CHARSET)}
# Weight of position i is 3**i mod 31 (GB 32100-2015, 附录 A).
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18


def check_character(first17: str) -> str:
    """The check character (第 18 位) for the first 17 characters of a code."""
    if len(first17) != LENGTH - 1:
        raise ValueError("check_character needs exactly 17 characters")
    total = sum(_VALUE[ch] * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def uscc_problem(code: str) -> str | None:
    """Why `code` is not a valid unified social credit code, in Chinese; None when valid."""
    if len(code) != LENGTH:
        return f"统一社会信用代码应为 18 位，实际为 {len(code)} 位"
    bad = sorted({ch for ch in code if ch not in _VALUE})
    if bad:
        return f"统一社会信用代码含有不允许的字符：{''.join(bad)}"
    if not code[2:8].isdigit():
        return "统一社会信用代码第 3-8 位应为登记管理机关行政区划码（数字）"
    expected = check_character(code[:17])
    if code[17] != expected:
        return f"统一社会信用代码校验位错误：应为 {expected}，实际为 {code[17]}"
    return None


def is_valid_uscc(code: str) -> bool:
    """True when `code` passes the GB 32100-2015 format and check character."""
    return uscc_problem(code) is None


def make_uscc(body17: str) -> str:
    """Append the check character to a 17-character body (used to build test and demo data)."""
    return body17 + check_character(body17)
