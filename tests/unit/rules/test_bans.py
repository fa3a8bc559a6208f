"""Art.19(2) / Art.21 bans: their end, which one is in force, the blocking finding."""

from __future__ import annotations

from datetime import date

import pytest

from registry.rules import BanFacts, active_ban, ban_end
from registry.rules.bans import check_bans
from tests.unit.rules.builders import applicant, only, shanghai, submission


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2024, 3, 10), date(2027, 3, 10)),
        (date(2024, 2, 29), date(2027, 2, 28)),
        (date(2023, 2, 28), date(2026, 2, 28)),
        (date(2025, 12, 31), date(2028, 12, 31)),
    ],
)
def test_ban_end(start: date, end: date) -> None:
    assert ban_end(start) == end


def _ban(start: date, article: str = "Art.19(2)", reason: str = "发生重大安全生产事故") -> BanFacts:
    return BanFacts(start, ban_end(start), reason, article)


def test_active_from_its_first_to_its_last_day() -> None:
    ban = _ban(date(2022, 9, 15))
    assert active_ban(bans=[ban], on=date(2022, 9, 14)) is None
    assert active_ban(bans=[ban], on=date(2022, 9, 15)) == ban
    assert active_ban(bans=[ban], on=date(2025, 9, 15)) == ban
    assert active_ban(bans=[ban], on=date(2025, 9, 16)) is None


def test_overlapping_bans_report_the_one_ending_last() -> None:
    first, second = _ban(date(2023, 1, 1)), _ban(date(2024, 6, 1), "Art.21", "提供虚假材料")
    assert active_ban(bans=(first, second), on=date(2025, 1, 1)) == second
    assert active_ban(bans=(first, second), on=date(2026, 1, 1)) == second
    assert active_ban(bans=(), on=date(2025, 1, 1)) is None


def test_finding_gives_the_end_date_and_the_article() -> None:
    bans = (_ban(date(2020, 1, 1)), _ban(date(2022, 9, 15)))
    findings = check_bans(applicant=applicant(bans=bans), submission=submission())
    finding = only(findings, "art19.banned")
    assert finding.article == "Art.19(2)"
    assert finding.loc == ("applicant", "bans", 1)
    assert finding.blocking
    assert "禁止期至2025年9月15日届满" in finding.message
    assert "可于2025年9月16日起重新申报" in finding.message
    assert "发生重大安全生产事故" in finding.message


def test_false_material_ban_cites_art21() -> None:
    bans = (_ban(date(2024, 2, 29), "Art.21", "提供虚假材料"),)
    on_last_day = submission(submitted_at=shanghai(date(2027, 2, 28)))
    assert (
        only(
            check_bans(applicant=applicant(bans=bans), submission=on_last_day), "art21.banned"
        ).article
        == "Art.21"
    )
    next_day = submission(submitted_at=shanghai(date(2027, 3, 1)))
    assert check_bans(applicant=applicant(bans=bans), submission=next_day) == []
