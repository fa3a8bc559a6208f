"""The facts are immutable and carry the submission date in Guangdong time."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

import pytest

from registry.rules import AccidentFacts, AccidentSeverity
from registry.rules.facts import MAJOR_OR_ABOVE
from tests.unit.rules.builders import applicant, submission


def test_revenue_is_a_read_only_copy() -> None:
    revenue = {2023: 1, 2024: 2}
    facts = applicant(revenue=revenue)
    revenue[2024] = 99
    assert facts.revenue[2024] == 2
    with pytest.raises(TypeError):
        facts.revenue[2024] = 3  # type: ignore[index]


def test_facts_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        applicant().name = "x"  # type: ignore[misc]


def test_submitted_on_is_the_shanghai_date() -> None:
    late_evening_utc = datetime(2025, 9, 30, 16, 0, tzinfo=UTC)
    assert submission(submitted_at=late_evening_utc).submitted_on == date(2025, 10, 1)


def test_plain_strings_match_the_severity_grades() -> None:
    # services may pass the stored text; it must compare equal to the enum members
    assert AccidentFacts(date(2024, 1, 1), "安全生产", "重大").severity in MAJOR_OR_ABOVE
    assert AccidentSeverity("特别重大") in MAJOR_OR_ABOVE
