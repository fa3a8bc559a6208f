"""Domain errors of the registry, each with a stable English `code` and, where a rule of the
Measures is the reason, the article. Only `api/errors.py` maps them to HTTP."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from registry.findings import Finding


class RegistryError(Exception):
    """Base of every registry error: `code` is stable English, `message` Chinese, for people."""

    default_code = "registry_error"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        article: str | None = None,
        loc: tuple[str | int, ...] = (),
        findings: Sequence[Finding] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.article = article
        self.loc = loc
        self.findings = tuple(findings)

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class NotFound(RegistryError):
    """The object does not exist, or the actor may not know it exists."""

    default_code = "not_found"


class PermissionDenied(RegistryError):
    """The actor's role or scope (city, assignment, own organisation) does not allow the action."""

    default_code = "permission_denied"


class Conflict(RegistryError):
    """Another actor changed the object first; the request changed nothing."""

    default_code = "conflict"


class TransitionNotAllowed(RegistryError):
    """The workflow has no transition for this event from the current state.

    `event` and `state` name the refused event and the state the object was in.
    """

    default_code = "transition_not_allowed"

    def __init__(
        self,
        message: str,
        *,
        event: str | None = None,
        state: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(message, **kwargs)
        self.event = event
        self.state = state


class RuleViolation(RegistryError):
    """One or more hard rules of the Measures fail; `findings` lists all of them at once."""

    default_code = "rule_violation"


class InvalidInput(RegistryError):
    """Input that is malformed regardless of any rule (bad code, unknown city, bad date)."""

    default_code = "invalid_input"


class CalendarNotCovered(RegistryError):
    """A working-day deadline falls in a year with no holiday data; staff must load a table."""

    default_code = "calendar_not_covered"
