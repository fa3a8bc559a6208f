"""Art.11: the batch window, counted in Guangdong time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from registry.rules.art11 import check_batch_window
from tests.unit.rules.builders import codes, shanghai, submission


def _check(at: datetime) -> list[str]:
    return codes(check_batch_window(submission=submission(submitted_at=at)))


def test_first_and_last_moments_of_the_batch_are_on_time() -> None:
    assert _check(shanghai(date(2025, 7, 1), time(0, 0))) == []
    assert _check(shanghai(date(2025, 9, 30), time(23, 59, 59))) == []


def test_before_the_batch_opens() -> None:
    finding = check_batch_window(
        submission=submission(submitted_at=shanghai(date(2025, 6, 30), time(23, 59)))
    )[0]
    assert (finding.code, finding.article) == ("art11.before_opening", "Art.11")
    assert "批次 2025Q3 的申报期为2025年7月1日至2025年9月30日" in finding.message
    assert finding.loc == ("submission", "submitted_at")


def test_after_the_deadline() -> None:
    finding = check_batch_window(
        submission=submission(submitted_at=shanghai(date(2025, 10, 1), time(0, 0)))
    )[0]
    assert (finding.code, finding.article) == ("art11.after_deadline", "Art.11")
    assert "2025年10月1日提交已逾期，视为无效申报" in finding.message


def test_times_in_other_zones_are_judged_in_shanghai() -> None:
    # 16:30 UTC on the deadline is 00:30 the next day in Guangdong: late
    assert _check(datetime(2025, 9, 30, 16, 30, tzinfo=UTC)) == ["art11.after_deadline"]
    assert _check(datetime(2025, 9, 30, 15, 59, 59, tzinfo=UTC)) == []


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        submission(submitted_at=datetime(2025, 9, 15, 10, 0))
