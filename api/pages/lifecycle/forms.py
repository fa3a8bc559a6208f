"""Posting a form on the lifecycle and complaints pages: read it, run one registry action and
commit, then redirect (post/redirect/get) or show the page again with every error and the
article it cites. Database work runs off the event loop."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from fastapi import Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from api.errors import ServiceError
from api.pages.common import PageErrors, errors_of
from api.pages.validation import form_data
from registry.errors import RegistryError

T = TypeVar("T")
Form = dict[str, Any]


async def post_form(
    request: Request,
    session: Session,
    action: Callable[[Form], T],
    *,
    done: Callable[[T], Response],
    failed: Callable[[PageErrors, Form], Response],
    lists: Iterable[str] = (),
) -> Response:
    """Run `action(form)` and commit: `done(result)`, or `failed(errors, form)` rolled back."""
    data = await form_data(request, lists=lists)

    def work() -> Response:
        try:
            result = action(data)
            session.commit()
        except (RegistryError, ServiceError, ValidationError) as error:
            session.rollback()
            return failed(errors_of(error), data)
        return done(result)

    return await run_in_threadpool(work)
