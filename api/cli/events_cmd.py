"""`funeng events …`: matchmaking events (Art.20(2)) for their organisers: list, export xlsx."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from api.cli.lifecycle_common import acting, fail, sessions

NAME = "events"
app = typer.Typer(no_args_is_help=True, help="供需对接会等推广活动的候选清单。")


@app.command("list")
def list_events(
    as_user: Annotated[str, typer.Option("--as", help="以此用户身份（组织方或省厅）")],
) -> None:
    """The events the user organises (staff: all), with their needs and shortlist sizes."""
    from registry.errors import RegistryError
    from registry.services.events import list_events as events_of

    with sessions()() as session:
        try:
            events = events_of(session=session, actor=acting(session, as_user))
        except RegistryError as error:
            raise fail(error) from error
        for e in events:
            items = sum(len(n.items) for n in e.needs)
            typer.echo(
                f"{e.id}\t{e.held_on.isoformat()}\t{e.event_type.value}\t{e.city}\t{e.title}"
                f"\t需求 {len(e.needs)}\t候选 {items}"
            )
        session.rollback()


@app.command("export")
def export(
    event_id: Annotated[int, typer.Argument(help="活动编号")],
    out: Annotated[Path, typer.Option("--out", help="输出的 xlsx 文件")],
    as_user: Annotated[str, typer.Option("--as", help="以此用户身份（组织方或省厅）")],
) -> None:
    """Write an event's summary and per-need shortlists to an xlsx file."""
    from registry.errors import RegistryError
    from registry.event_export import write_event

    out.parent.mkdir(parents=True, exist_ok=True)
    with sessions()() as session:
        try:
            write_event(
                session=session, actor=acting(session, as_user), event_id=event_id, target=out
            )
        except RegistryError as error:
            raise fail(error) from error
        session.rollback()
    typer.echo(f"活动 {event_id} 已导出 → {out}")
