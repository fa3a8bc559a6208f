"""`funeng catalog export`: the annual catalog 《广东省制造业赋能资源目录（YYYY年）》 as xlsx
(Art.20(1)): a cover sheet and one sheet per Art.5 direction."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from api.cli.lifecycle_common import moment, sessions

NAME = "catalog"
app = typer.Typer(no_args_is_help=True, help="年度《广东省制造业赋能资源目录》。")


@app.command("export")
def export(
    year: Annotated[int, typer.Option("--year", help="目录年度，如 2026")],
    out: Annotated[Path, typer.Option("--out", help="输出的 xlsx 文件")],
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="统计截止日期（YYYY-MM-DD，默认今天）")
    ] = None,
    include_warned: Annotated[
        bool, typer.Option("--include-warned", help="同时列出预警整改中的资源（内部用）")
    ] = False,
) -> None:
    """Write the catalog of `year` as of a day to an xlsx file."""
    from registry.catalog import build_catalog
    from registry.catalog_xlsx import write_catalog

    day = moment(as_of).date()
    with sessions()() as session:
        catalog = build_catalog(
            session=session, year=year, as_of=day, include_warned=include_warned
        )
        session.rollback()
    out.parent.mkdir(parents=True, exist_ok=True)
    write_catalog(catalog, out)
    typer.echo(f"《{catalog.title}》截至 {day.isoformat()}，共 {len(catalog.rows)} 项 → {out}")
    for direction, count in catalog.counts().items():
        typer.echo(f"  {direction}：{count}")
