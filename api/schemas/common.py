"""Shared schema pieces: local datetimes, pages, simple request bodies."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Generic, TypeVar
from zoneinfo import ZoneInfo

from fastapi import Query
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

SHANGHAI = ZoneInfo("Asia/Shanghai")
T = TypeVar("T")


def _to_shanghai(value: datetime) -> datetime:
    return value.astimezone(SHANGHAI)


# Datetimes leave the API in Asia/Shanghai (+08:00): deadlines end at 23:59:59 local time.
LocalDateTime = Annotated[datetime, AfterValidator(_to_shanghai)]


class ReadSchema(BaseModel):
    """A response body; built from registry objects by attribute."""

    model_config = ConfigDict(from_attributes=True)


class InputSchema(BaseModel):
    """A request body; unknown fields are refused so typos do not pass silently."""

    model_config = ConfigDict(extra="forbid")


class Page(ReadSchema, Generic[T]):
    """One page of a list."""

    items: list[T]
    total: int
    limit: int
    offset: int


class Paging(BaseModel):
    """Which page of a list to return."""

    limit: int
    offset: int


def paging(
    limit: Annotated[int, Query(ge=1, le=200, description="每页条数")] = 50,
    offset: Annotated[int, Query(ge=0, description="跳过条数")] = 0,
) -> Paging:
    """The `limit` / `offset` query parameters."""
    return Paging(limit=limit, offset=offset)


def page_of(items: Sequence[T], page: Paging) -> tuple[list[T], int]:
    """The slice of `items` for `page`, and the total."""
    return list(items[page.offset : page.offset + page.limit]), len(items)


class VersionedAction(InputSchema):
    """An action on an application; `expected_version` guards against a concurrent change."""

    expected_version: int | None = Field(
        default=None, description="读取时的版本号；若申报已被他人处理则返回 409"
    )


class ReasonedAction(VersionedAction):
    """An action that must state its reason."""

    reason: str = Field(min_length=1, max_length=4000)
