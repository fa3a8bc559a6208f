"""What the lifecycle commands (`funeng sweep`, `funeng catalog`, `funeng events`) share: the
database from the settings (at the edge; `registry/` never reads the environment), injected
dates, the acting user and one way to print a registry error."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import typer

from api.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from registry.actor import Actor
    from registry.errors import RegistryError

SHANGHAI = ZoneInfo("Asia/Shanghai")
# `--today D` runs as a nightly job would: shortly after midnight of D.
JOB_TIME = time(0, 30)


def sessions() -> sessionmaker[Session]:
    """Sessions on the configured database, which must be migrated to the newest revision."""
    from registry.db import make_engine, session_factory
    from registry.migrate import current_revision, head_revision

    engine = make_engine(Settings().database_url)
    if current_revision(engine) != head_revision():
        typer.echo("数据库结构不是最新版本：请先运行 `funeng registry migrate`。", err=True)
        raise typer.Exit(2)
    return session_factory(engine)


def moment(value: str | None) -> datetime:
    """`--today`: a date (the job time that day) or a full ISO datetime; now when absent."""
    if value is None:
        return datetime.now(SHANGHAI)
    try:
        if "T" in value or " " in value:
            parsed = datetime.fromisoformat(value)
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=SHANGHAI)
        return datetime.combine(date.fromisoformat(value), JOB_TIME, SHANGHAI)
    except ValueError as exc:
        typer.echo(f"日期格式应为 YYYY-MM-DD 或 ISO 时间：{value}", err=True)
        raise typer.Exit(2) from exc


def acting(session: Session, username: str) -> Actor:
    """The actor of an active user, or exit 2."""
    from registry.actor import Actor
    from registry.services.accounts import find_user

    user = find_user(session=session, username=username)
    if user is None or not user.is_active:
        typer.echo(f"没有这个用户：{username}", err=True)
        raise typer.Exit(2)
    return Actor.of(user)


def fail(error: RegistryError) -> typer.Exit:
    """Print a registry error (code, article, message) and return the exit to raise."""
    from registry.findings import article_zh

    cite = f"（{article_zh(error.article)}）" if error.article else ""
    typer.echo(f"错误 [{error.code}]{cite} {error.message}", err=True)
    return typer.Exit(1)
