"""Guards for actions that are not transitions but are only allowed in some states."""

from __future__ import annotations

from registry.enums import ApplicationStatus
from registry.errors import TransitionNotAllowed
from registry.models.applications import Application
from registry.workflow import STATE_LABELS


def require_status(application: Application, action: str, *allowed: ApplicationStatus) -> None:
    """TransitionNotAllowed(action, state) unless the application is in one of `allowed`."""
    if application.status not in allowed:
        raise TransitionNotAllowed(
            f"申报当前状态为“{STATE_LABELS[application.status]}”，不能执行此操作",
            event=action,
            state=application.status.value,
            loc=("status",),
        )
