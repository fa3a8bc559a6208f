"""Tokens, the signed-in user, and the CSRF token of the page session."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from api.schemas.common import LocalDateTime, ReadSchema


class TokenRead(ReadSchema):
    """A bearer token (OAuth2 password flow): send it as `Authorization: Bearer <token>`."""

    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="有效秒数")
    expires_at: LocalDateTime


class MeRead(ReadSchema):
    """The signed-in user with the scope of their role."""

    user_id: int
    username: str
    display_name: str
    role: str
    city: str | None
    organisation_id: int | None
    expert_id: int | None
    via: Literal["bearer", "session"]


class CsrfRead(ReadSchema):
    """The CSRF token of the page session, and where to send it on writes."""

    csrf_token: str
    header: str
    form_field: str
