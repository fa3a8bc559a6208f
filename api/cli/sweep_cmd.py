"""`funeng sweep`: the daily run of every date-driven check (cron-friendly, idempotent).

Missing annual reports after 31 March (Art.18), warnings past their six months (Art.19(1)), bans
that ended (Art.19(2), Art.21), review steps past their working-day deadline (Art.13-15).
Prints a summary; exits 0 when every check ran, 1 when one could not (e.g. a year without
holiday data: load it with `funeng registry calendar load`), 2 on bad usage.
"""

from __future__ import annotations

from typing import Annotated

import typer

from api.cli.lifecycle_common import moment, sessions

NAME = ""
app = typer.Typer()

KIND_LABELS = {
    "annual_report_missing": "年度报告未按期报送（第十八条）",
    "warning_overdue": "预警整改期满（第十九条第（一）项）",
    "ban_ended": "禁止申报期届满（第十九条第（二）项、第二十一条）",
    "review_overdue": "审核环节逾期（第十三至十五条）",
}


@app.command("sweep")
def sweep(
    today: Annotated[
        str | None, typer.Option("--today", help="按此日期巡检（YYYY-MM-DD，默认今天）")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只报告，不写入")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="只输出汇总")] = False,
) -> None:
    """Run every date-driven check once; flags, notifications and audit rows in one commit."""
    from registry.sweep import run_sweep

    now = moment(today)
    with sessions()() as session:
        report = run_sweep(session=session, now=now)
        if dry_run:
            session.rollback()
        else:
            session.commit()
    typer.echo(f"巡检日期：{report.today.isoformat()}{'（试运行，未写入）' if dry_run else ''}")
    typer.echo(f"新标记 {len(report.raised)} 项，情形消除 {len(report.resolved)} 项")
    if not quiet:
        for flag in report.raised:
            typer.echo(f"  + [{flag.kind.value}] {flag.message}")
        for flag in report.resolved:
            typer.echo(f"  - [{flag.kind.value}] {flag.message}")
    for kind, count in report.open_counts.items():
        typer.echo(f"待处理 {KIND_LABELS.get(kind.value, kind.value)}：{count}")
    for error in report.errors:
        typer.echo(f"未能完成：{error}", err=True)
    if not report.ok:
        raise typer.Exit(1)
