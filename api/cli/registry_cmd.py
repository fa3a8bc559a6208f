"""`funeng registry …`: migrations, loading YAML through the real pipeline, deadlines, the
holiday calendar, accounts and a few staff actions. The database URL comes from the settings
here, at the edge; `registry/` itself never reads the environment."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated
from zoneinfo import ZoneInfo

import typer

from api.settings import Settings
from registry.enums import Role

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from registry.actor import Actor
    from registry.errors import RegistryError
    from registry.loader import Progress

NAME = "registry"
app = typer.Typer(no_args_is_help=True, help="资源库登记系统：迁移、加载、期限、日历、账号。")
calendar_app = typer.Typer(
    no_args_is_help=True, help="法定节假日表（chinese-calendar 未覆盖的年份）。"
)
users_app = typer.Typer(no_args_is_help=True, help="用户账号。")
files_app = typer.Typer(no_args_is_help=True, help="上传文件存储。")
app.add_typer(calendar_app, name="calendar")
app.add_typer(users_app, name="users")
app.add_typer(files_app, name="files")

SHANGHAI = ZoneInfo("Asia/Shanghai")
ROLES = tuple(role.value for role in Role)  # registry.enums is a light import
DEMO = Path("data/demo")


def _sessions(*, require_head: bool = True) -> sessionmaker[Session]:
    from registry.db import make_engine, session_factory
    from registry.migrate import current_revision, head_revision

    settings = Settings()
    url = settings.database_url
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(url)
    if require_head and current_revision(engine) != head_revision():
        typer.echo("数据库结构不是最新版本：请先运行 `funeng registry migrate`。", err=True)
        raise typer.Exit(2)
    return session_factory(engine)


def _now(value: str | None) -> datetime:
    if value is None:
        return datetime.now(SHANGHAI)
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=SHANGHAI)


def _fail(error: RegistryError) -> typer.Exit:
    from registry.findings import article_zh

    typer.echo(f"错误 [{error.code}] {error.message}", err=True)
    for finding in error.findings:
        cite = f"（{article_zh(finding.article)}）" if finding.article else ""
        typer.echo(f"  - [{finding.code}]{cite} {finding.message}", err=True)
    return typer.Exit(1)


def _acting(session: Session, username: str) -> Actor:
    from registry.actor import Actor
    from registry.services.accounts import find_user

    user = find_user(session=session, username=username)
    if user is None or not user.is_active:
        typer.echo(f"没有这个用户：{username}", err=True)
        raise typer.Exit(2)
    return Actor.of(user)


@app.command("migrate")
def migrate() -> None:
    """Upgrade the database to the newest schema (creates it on first use)."""
    from registry.migrate import upgrade

    _sessions(require_head=False)  # creates the SQLite directory
    revision = upgrade(Settings().database_url)
    typer.echo(f"数据库已是最新结构（revision {revision}）")


@app.command("load")
def load(
    files: Annotated[
        list[Path] | None, typer.Argument(help="资源 YAML（默认 data/demo/library/*.yaml）")
    ] = None,
    batches: Annotated[Path, typer.Option(help="批次文件")] = DEMO / "batches.yaml",
    users: Annotated[Path, typer.Option(help="账号文件")] = DEMO / "users.yaml",
    keep_going: Annotated[
        bool, typer.Option("--keep-going", help="被拒的申报只报告，继续加载其余")
    ] = False,
) -> None:
    """Load organisations, resources and cases through the real workflow (idempotent)."""
    from registry.errors import RegistryError
    from registry.loader import load as run_load
    from registry.loader import read_files
    from registry.storage import FileStore

    paths = files or sorted((DEMO / "library").glob("*.yaml"))
    try:
        parsed = read_files(batches_path=batches, users_path=users, library_paths=paths)
    except RegistryError as exc:
        raise _fail(exc) from exc
    store = FileStore(Settings().var_dir / "files")
    report = run_load(
        sessions=_sessions(),
        store=store,
        files=parsed,
        keep_going=keep_going,
        progress=_show_progress,
    )
    typer.echo(
        f"完成：新建账号 {report.users_created}，批次 {report.batches_created}，"
        f"申报单位 {report.organisations_created}，资源 {len(report.loaded)}，"
        f"未变 {len(report.unchanged)}，被拒 {len(report.refused)}"
    )
    if report.refused and not keep_going:
        raise typer.Exit(1)


def _show_progress(step: Progress) -> None:
    typer.echo(f"[{step.index}/{step.total}] {step.code} {step.result}")
    if step.error is not None:
        _fail(step.error)


@app.command("overdue")
def overdue(
    now: Annotated[str | None, typer.Option(help="以此时刻判断（ISO 8601，默认当前时间）")] = None,
    as_user: Annotated[str, typer.Option("--as", help="以哪个用户查询")] = "province-staff",
) -> None:
    """List review steps past their working-day deadline (Art.13-15)."""
    from registry.services.deadlines import overdue as find_overdue

    with _sessions()() as session:
        items = find_overdue(session=session, actor=_acting(session, as_user), now=_now(now))
    for item in items:
        due = item.due_at.astimezone(SHANGHAI)
        typer.echo(
            f"{item.resource_code}\t{item.step}\t{item.city}\t{item.organisation}\t"
            f"截止 {due:%Y-%m-%d %H:%M}（{item.article}）"
        )
    typer.echo(f"共 {len(items)} 项逾期")


@calendar_app.command("load")
def calendar_load(file: Annotated[Path, typer.Argument(help="节假日表 YAML/JSON")]) -> None:
    """Load holiday tables (format in registry/workdays.py); each replaces its year's table."""
    from registry.actor import Actor
    from registry.calendar_store import save_year_tables
    from registry.errors import RegistryError
    from registry.workdays import load_year_tables

    try:
        tables = load_year_tables(file)
        with _sessions()() as session:
            years = save_year_tables(
                session=session,
                actor=Actor(user_id=None, role=Role.ADMIN),
                now=_now(None),
                tables=tables,
            )
            session.commit()
    except RegistryError as exc:
        raise _fail(exc) from exc
    typer.echo(f"已载入节假日表：{', '.join(str(y) for y in years)}")


@calendar_app.command("show")
def calendar_show() -> None:
    """Which years have a loaded table, and which the built-in calendar covers."""
    from registry.calendar_store import year_tables
    from registry.workdays import PACKAGE_YEARS

    with _sessions()() as session:
        tables = year_tables(session)
    typer.echo(f"内置日历：{PACKAGE_YEARS[0]}–{PACKAGE_YEARS[-1]} 年")
    for table in tables:
        typer.echo(
            f"{table.year}：放假 {len(table.holidays)} 天，调休上班 "
            f"{len(table.workdays)} 天（{table.source or '未注明来源'}）"
        )


@files_app.command("gc")
def files_gc(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只列出，不删除")] = False,
    grace_minutes: Annotated[
        int, typer.Option(min=0, help="只处理早于此分钟数写入的文件（进行中的上传不受影响）")
    ] = 60,
    now: Annotated[str | None, typer.Option(help="以此时刻判断（ISO 8601，默认当前时间）")] = None,
) -> None:
    """Delete stored files that no database row references (uploads whose transaction rolled
    back, interrupted uploads), once older than the grace period."""
    from datetime import timedelta

    from registry.services.files import collect_orphans
    from registry.storage import FileStore

    store = FileStore(Settings().var_dir / "files")
    with _sessions()() as session:
        found = collect_orphans(
            session=session,
            store=store,
            now=_now(now),
            grace=timedelta(minutes=grace_minutes),
            delete=not dry_run,
        )
    for orphan in found:
        typer.echo(
            f"{orphan.storage_key}\t{orphan.size_bytes} 字节\t{orphan.modified_at:%Y-%m-%d %H:%M}"
        )
    verb = "可清理" if dry_run else "已清理"
    typer.echo(f"{verb}无引用文件 {len(found)} 个，共 {sum(o.size_bytes for o in found)} 字节")


@users_app.command("create")
def users_create(
    username: str,
    role: Annotated[str, typer.Option(help=f"角色：{' / '.join(ROLES)}")],
    display_name: Annotated[str, typer.Option(help="显示名")],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)],
    city: Annotated[str | None, typer.Option(help="地市审核人员所属城市")] = None,
    uscc: Annotated[str | None, typer.Option(help="申报单位用户的统一社会信用代码")] = None,
    category: Annotated[
        str | None, typer.Option(help="专家类别：technical / industry_management / financial")
    ] = None,
    affiliation: Annotated[str | None, typer.Option(help="专家所在单位")] = None,
) -> None:
    """Create a user (as the administrator running this command)."""
    from registry.actor import Actor
    from registry.enums import ExpertCategory
    from registry.errors import RegistryError
    from registry.services import accounts, organisations

    with _sessions()() as session:
        try:
            org = organisations.find_by_uscc(session=session, uscc=uscc) if uscc else None
            if uscc and org is None:
                typer.echo(f"没有这个申报单位：{uscc}", err=True)
                raise typer.Exit(2)
            profile = None
            if category is not None:
                profile = accounts.ExpertProfile(
                    category=ExpertCategory(category), affiliation=affiliation or ""
                )
            user = accounts.create_user(
                session=session,
                actor=Actor(user_id=None, role=Role.ADMIN),
                now=_now(None),
                username=username,
                password=password,
                role=Role(role),
                display_name=display_name,
                city=city,
                organisation_id=org.id if org else None,
                expert=profile,
            )
            session.commit()
        except RegistryError as exc:
            raise _fail(exc) from exc
        except ValueError as exc:
            typer.echo(f"参数有误：{exc}", err=True)
            raise typer.Exit(2) from exc
    typer.echo(f"已创建用户 {user.username}（{user.role.value}）")


@app.command("status")
def status() -> None:
    """Applications by status, and the size of the library."""
    from sqlalchemy import func, select

    from registry.library import entries
    from registry.models import Application

    with _sessions()() as session:
        rows = session.execute(
            select(Application.status, func.count()).group_by(Application.status)
        ).all()
        size = len(entries(session=session))
    for state, count in sorted(rows, key=lambda r: r[0].value):
        typer.echo(f"{state.value}\t{count}")
    typer.echo(f"资源库在库资源：{size}")


@app.command("priority")
def priority(
    code: str,
    unset: Annotated[bool, typer.Option("--unset", help="取消优先支持")] = False,
    as_user: Annotated[str, typer.Option("--as", help="以哪个省工信厅用户操作")] = "province-staff",
) -> None:
    """Mark a library resource for priority in promotion (Art.19(4)), or unmark it."""
    from registry.errors import RegistryError
    from registry.services.library_admin import set_priority

    with _sessions()() as session:
        try:
            set_priority(
                session=session,
                actor=_acting(session, as_user),
                now=_now(None),
                resource_code=code,
                priority=not unset,
            )
            session.commit()
        except RegistryError as exc:
            raise _fail(exc) from exc
    typer.echo(f"{code}：{'已取消' if unset else '已设为'}优先支持")
