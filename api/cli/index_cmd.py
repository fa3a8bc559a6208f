"""`funeng index build|status`: the certified library as matcher index snapshots on disk.

Settings are read here, at the edge; `indexing/` receives plain values (`IndexOptions`).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from api.index_runtime import index_options
from api.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from indexing.live import LiveIndex

NAME = "index"
app = typer.Typer(no_args_is_help=True, help="匹配索引：从资源库构建、增量更新、查看状态。")

STAGE_LABELS = {"embed": "嵌入新文本", "index": "建立索引", "save": "写入快照"}


def database_sessions(settings: Settings) -> sessionmaker[Session]:
    """Sessions on the registry database, which must be migrated to the newest revision."""
    from registry.db import make_engine, session_factory
    from registry.migrate import current_revision, head_revision

    engine = make_engine(settings.database_url)
    if current_revision(engine) != head_revision():
        typer.echo("数据库结构不是最新版本：请先运行 `funeng registry migrate`。", err=True)
        raise typer.Exit(2)
    return session_factory(engine)


def open_live_index(settings: Settings) -> LiveIndex:
    """A live index on the settings' database and index folder (not opened yet)."""
    from indexing.errors import IndexingError
    from indexing.service import create_live_index
    from matcher.errors import MatcherError

    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # no model hub here: fail fast, never hang
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")  # ours are the ones to show
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    sessions = database_sessions(settings)
    try:
        return create_live_index(options=index_options(settings), sessions=sessions)
    except (IndexingError, MatcherError) as error:
        raise fail(error) from error


def fail(error: Any) -> typer.Exit:
    """Print a domain error (code and Chinese message) and exit with status 1."""
    typer.echo(f"错误 [{error.code}]：{error.message}", err=True)
    return typer.Exit(1)


class StageBars:
    """One tqdm bar per build stage, on stderr."""

    def __init__(self) -> None:
        self.stage: str | None = None
        self.bar: Any = None
        self.totals: dict[str, int] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        from tqdm import tqdm

        self.totals[stage] = total
        if stage != self.stage:
            self.close()
            self.stage = stage
            label = STAGE_LABELS.get(stage, stage)
            self.bar = tqdm(total=total, desc=label, unit="篇", leave=True)
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


@app.command("build")
def build(
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="从资源库完整重建（未变的文本取自嵌入缓存）")
    ] = False,
) -> None:
    """Bring the index up to date: load the snapshot and apply new events, or build it."""
    from indexing.errors import IndexingError
    from indexing.service import update_index
    from matcher.errors import MatcherError

    settings = Settings()
    started = time.monotonic()
    bars = StageBars()
    live = open_live_index(settings)
    try:
        report = update_index(live, rebuild=rebuild, progress=bars)
    except (IndexingError, MatcherError) as error:
        bars.close()
        raise fail(error) from error
    finally:
        live.close()
    bars.close()
    status = live.status()
    how = {"built": "已从资源库构建索引", "snapshot": "已载入快照并追上资源库变更"}
    typer.echo(f"{how[report.origin]}：{status.resources} 项资源，{status.cases} 个案例")
    if report.origin == "snapshot":
        typer.echo(f"新应用的变更事件：{report.events_applied}")
    else:
        typer.echo(f"新嵌入的文本：{bars.totals.get('embed', 0)} 篇（其余取自嵌入缓存）")
    typer.echo(f"语料版本（最新事件编号）：{status.corpus_version}")
    typer.echo(f"快照：{settings.index.dir / 'snapshots' / str(report.snapshot)}")
    typer.echo(f"模型：{status.model_id}")
    typer.echo(f"用时 {time.monotonic() - started:.1f} 秒")


@app.command("status")
def status(
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
) -> None:
    """Show the current snapshot (without loading the model) and how far behind it is."""
    from indexing.service import snapshot_summary

    settings = Settings()
    summary = snapshot_summary(settings.index.dir)
    if summary is None:
        typer.echo(f"索引目录 {settings.index.dir} 中没有完整的快照：请运行 `funeng index build`。")
        raise typer.Exit(1)
    summary["pending_events"] = _pending_events(settings, settings.index.dir)
    if as_json:
        typer.echo(json.dumps(summary, ensure_ascii=False, indent=2, default=str))
        return
    counts = summary.get("counts", {})
    typer.echo(f"快照：{summary['name']}（共 {len(summary['snapshots'])} 个）")
    typer.echo(
        f"创建时间：{summary.get('created_at')}    程序版本：{summary.get('package_version')}"
    )
    typer.echo(
        f"资源：{counts.get('resources')}    案例：{counts.get('cases')}    "
        f"文档：{counts.get('documents')}"
    )
    typer.echo(f"语料版本（最新事件编号）：{summary.get('corpus_version')}")
    typer.echo(
        f"模型：{summary.get('model_id')}    维度：{summary.get('dimension')}    "
        f"向量存储：{summary.get('dense_storage', 'float32')}"
    )
    typer.echo(f"分词词典：{str(summary.get('dictionary_hash'))[:16]}…")
    typer.echo(f"系数：{summary.get('factors')}")
    pending = summary["pending_events"]
    if pending is None:
        typer.echo("待应用的变更：无法读取数据库")
    else:
        typer.echo(f"待应用的变更：{pending}" + ("" if pending else "（已是最新）"))


def _pending_events(settings: Settings, index_dir: Path) -> int | None:
    """Outbox events the current snapshot does not reflect (None: database unreadable)."""
    from sqlalchemy.exc import SQLAlchemyError

    from indexing.cursor import CursorState, EventCursor
    from indexing.snapshot import SnapshotStore
    from indexing.source import DatabaseSource

    _, manifest = SnapshotStore(index_dir).current()
    cursor = EventCursor.resume(CursorState.from_dict(manifest["cursor"]))
    try:
        return len(cursor.pending(DatabaseSource(database_sessions(settings))))
    except (SQLAlchemyError, typer.Exit):
        return None
