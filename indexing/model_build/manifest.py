"""The build manifest (`funeng_model.json`) and the checks of a model folder against it.

The manifest is written last, so a folder without one was never finished. `model_hash` is a
sha256 over the tensors of `model.safetensors` (names, dtypes, shapes and bytes in name order):
it identifies the weights whatever the file's serialisation, and index manifests record it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, fields
from enum import StrEnum
from pathlib import Path
from typing import Any

from indexing.model_build.errors import ModelFolderInvalid
from indexing.model_build.sources import SourceFile, sha256_file
from matcher.encoders import MODEL_MANIFEST_FILE

MANIFEST_FORMAT_VERSION = 1
WEIGHTS_FILE = "model.safetensors"
# Everything a build may leave in the folder: a folder holding only these names is ours to
# repair; anything else is refused unless --force.
KNOWN_ENTRIES = frozenset(
    {
        MODEL_MANIFEST_FILE,
        WEIGHTS_FILE,
        "config.json",
        "tokenizer.json",
        "tokenizer_config.json",
        "special_tokens_map.json",
        "modules.json",
        "sentence_bert_config.json",
        "config_sentence_transformers.json",
        "README.md",
        "1_Pooling",
        "2_Normalize",
    }
)


@dataclass(frozen=True, slots=True)
class ModelManifest:
    """What `funeng model build` records about a model folder."""

    name: str
    model_hash: str
    dimension: int
    max_seq_length: int
    prompts: dict[str, str]
    built_at: str
    sources: list[dict[str, Any]]
    builder: dict[str, str]
    files: dict[str, dict[str, Any]]
    format_version: int = MANIFEST_FORMAT_VERSION

    def to_json(self) -> str:
        """Stable, human-readable JSON."""
        return json.dumps(_asdict(self), ensure_ascii=False, indent=2, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str) -> ModelManifest:
        """Parse; raises ValueError/KeyError/TypeError on anything malformed."""
        data = json.loads(text)
        return cls(**{name: data[name] for name in _FIELDS})


_FIELDS = tuple(item.name for item in fields(ModelManifest))


def _asdict(manifest: ModelManifest) -> dict[str, Any]:
    return {name: getattr(manifest, name) for name in _FIELDS}


def weights_hash(path: Path) -> str:
    """`sha256:<hex>` over every tensor of a safetensors file, in name order."""
    from safetensors import safe_open

    digest = hashlib.sha256()
    with safe_open(str(path), framework="numpy") as weights:
        for name in sorted(weights.keys()):
            tensor = weights.get_tensor(name)
            header = f"{name}\0{tensor.dtype.str}\0{list(tensor.shape)}\0"
            digest.update(header.encode("utf-8"))
            digest.update(tensor.tobytes(order="C"))
    return "sha256:" + digest.hexdigest()


def describe_files(folder: Path) -> dict[str, dict[str, Any]]:
    """Size and sha256 of every file under `folder` (relative POSIX paths), manifest excluded."""
    files: dict[str, dict[str, Any]] = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = path.relative_to(folder).as_posix()
        if relative != MODEL_MANIFEST_FILE:
            files[relative] = {"bytes": path.stat().st_size, "sha256": sha256_file(path)}
    return files


class FolderState(StrEnum):
    """What a model folder holds, as far as `funeng model build` is concerned."""

    MISSING = "missing"  # nothing there, or an empty folder
    COMPLETE = "complete"  # a finished build of the installed sources
    STALE = "stale"  # a finished build, but of other source files than those installed
    INCOMPLETE = "incomplete"  # half-written or damaged: only names a build writes
    FOREIGN = "foreign"  # something else lives there: never deleted without --force


@dataclass(frozen=True, slots=True)
class FolderCheck:
    """The state of a folder, the reasons behind it and its manifest when readable."""

    state: FolderState
    problems: tuple[str, ...] = ()
    manifest: ModelManifest | None = field(default=None)


def read_manifest(folder: Path) -> ModelManifest | None:
    """The folder's manifest, None if absent; ModelFolderInvalid if unreadable."""
    path = folder / MODEL_MANIFEST_FILE
    if not path.is_file():
        return None
    try:
        return ModelManifest.from_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ModelFolderInvalid(f"模型清单 {path} 无法解析：{error}") from error


def check_folder(
    folder: Path, *, sources: list[SourceFile] | None = None, verify_hashes: bool = False
) -> FolderCheck:
    """Classify `folder`; sizes are always checked, sha256 of every file with `verify_hashes`."""
    if not folder.exists() or (folder.is_dir() and not any(folder.iterdir())):
        return FolderCheck(FolderState.MISSING)
    if not folder.is_dir():
        return FolderCheck(FolderState.FOREIGN, (f"{folder} 不是目录",))
    unknown = sorted(p.name for p in folder.iterdir() if p.name not in KNOWN_ENTRIES)
    if unknown:
        return FolderCheck(FolderState.FOREIGN, (f"目录中有不属于模型的文件：{unknown}",))
    try:
        manifest = read_manifest(folder)
    except ModelFolderInvalid as error:
        return FolderCheck(FolderState.INCOMPLETE, (error.message,))
    if manifest is None:
        return FolderCheck(FolderState.INCOMPLETE, ("缺少模型清单（构建未完成）",))
    problems = _file_problems(folder, manifest, verify_hashes=verify_hashes)
    if problems:
        return FolderCheck(FolderState.INCOMPLETE, tuple(problems), manifest)
    stale = _source_problems(manifest, sources or [])
    if stale:
        return FolderCheck(FolderState.STALE, tuple(stale), manifest)
    return FolderCheck(FolderState.COMPLETE, (), manifest)


def _file_problems(folder: Path, manifest: ModelManifest, *, verify_hashes: bool) -> list[str]:
    problems: list[str] = []
    for relative, expected in sorted(manifest.files.items()):
        path = folder / relative
        if not path.is_file():
            problems.append(f"缺少文件 {relative}")
        elif path.stat().st_size != expected.get("bytes"):
            problems.append(f"文件 {relative} 的大小与清单不符")
        elif verify_hashes and sha256_file(path) != expected.get("sha256"):
            problems.append(f"文件 {relative} 的 sha256 与清单不符")
    if WEIGHTS_FILE not in manifest.files:
        problems.append(f"清单中没有 {WEIGHTS_FILE}")
    return problems


def _source_problems(manifest: ModelManifest, sources: list[SourceFile]) -> list[str]:
    recorded = {entry.get("file"): entry for entry in manifest.sources}
    problems = []
    for source in sources:
        entry = recorded.get(source.relative_path)
        if entry is None or entry.get("version") != source.version:
            problems.append(f"{source.relative_path} 的来源版本已变化（现为 {source.version}）")
        elif entry.get("sha256") != sha256_file(source.path):
            problems.append(f"{source.relative_path} 的内容已变化")
    return problems
