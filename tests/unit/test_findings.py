import pytest

from registry.findings import Finding, Severity, article_zh


@pytest.mark.parametrize(
    ("code", "zh"),
    [
        ("Art.9(2)", "第九条第（二）项"),
        ("Art.13", "第十三条"),
        ("Art.19(2)", "第十九条第（二）项"),
        ("Art.21", "第二十一条"),
        ("Art.4(5)", "第四条第（五）项"),
    ],
)
def test_article_zh(code: str, zh: str) -> None:
    assert article_zh(code) == zh


def test_only_errors_block() -> None:
    assert Finding("x", "Art.9", "缺少材料").blocking
    assert not Finding("x", "Art.7(1)", "放宽年限", Severity.INFO).blocking
