"""Failed sign-ins slow a guesser down: after `max_failures` failures within `window` for one
username (or four times as many from one client address), further attempts are refused with
429 until the oldest failure leaves the window. A success clears the username's failures.

In-process and in memory, like the rest of one server's state: it is lost on restart and not
shared between processes (the service runs as one process; see README, Development). The
clock is the request's `now`, so tests move it instead of sleeping.
"""

from __future__ import annotations

import math
import threading
from collections import deque
from datetime import datetime, timedelta

from api.errors import ServiceError

ADDRESS_FACTOR = 4  # a client address may fail for several users (an office behind one NAT)
MAX_KEYS = 100_000  # beyond this, keys with no failure left in the window are dropped


class LoginThrottle:
    """Counts failed sign-ins per username and per client address in a moving window."""

    def __init__(self, *, max_failures: int, window: timedelta) -> None:
        self.max_failures = max_failures
        self.window = window
        self._failures: dict[tuple[str, str], deque[datetime]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _keys(username: str, address: str | None) -> list[tuple[tuple[str, str], int]]:
        keys = [(("user", username.strip().casefold()), 1)]
        if address:
            keys.append((("address", address), ADDRESS_FACTOR))
        return keys

    def _recent(self, key: tuple[str, str], now: datetime) -> deque[datetime]:
        times = self._failures.get(key, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        return times

    def check(self, *, username: str, address: str | None, now: datetime) -> None:
        """Refuse (429, `too_many_login_attempts`) while either key has too many failures."""
        wait = timedelta(0)
        with self._lock:
            for key, factor in self._keys(username, address):
                times = self._recent(key, now)
                if len(times) >= self.max_failures * factor:
                    wait = max(wait, times[0] + self.window - now)
        if wait > timedelta(0):
            minutes = max(1, math.ceil(wait.total_seconds() / 60))
            raise ServiceError(
                429,
                "too_many_login_attempts",
                f"登录失败次数过多，请 {minutes} 分钟后再试",
                loc=("body", "username"),
                retry_after_seconds=math.ceil(wait.total_seconds()),
            )

    def failed(self, *, username: str, address: str | None, now: datetime) -> None:
        """Record one failed attempt against the username and the address."""
        with self._lock:
            if len(self._failures) >= MAX_KEYS:
                for key in list(self._failures):
                    if not self._recent(key, now):
                        del self._failures[key]
            for key, _ in self._keys(username, address):
                times = self._recent(key, now)
                times.append(now)
                self._failures[key] = times

    def succeeded(self, *, username: str) -> None:
        """The password was right: the username's failures are forgotten (not the address's)."""
        with self._lock:
            self._failures.pop(("user", username.strip().casefold()), None)
