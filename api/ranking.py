"""Named ranking configurations for the match API: `evaluation/configs/<name>.yaml`.

The evaluation harness writes them (`default.yaml` is the service's default ranking, chosen on
the golden set); the API only reads them, by a validated name, never by a path a caller gives.
Without `default.yaml` the matcher's own defaults (`MatchConfig()`) rank.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

from api.errors import ServiceError
from matcher.config import MatchConfig

DEFAULT_NAME = "default"
# A file name, never a path: no separators, no leading dot.
NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
_NAME = re.compile(NAME_PATTERN)
_cache: dict[Path, tuple[float, MatchConfig]] = {}
_lock = threading.Lock()


def config_dir() -> Path:
    """Where the evaluation harness keeps its configurations."""
    from evaluation.configuration import CONFIG_DIR

    return CONFIG_DIR


def available_configs(directory: Path | None = None) -> list[str]:
    """The names a caller may ask for: the files that are ranking configurations this index
    can serve (a sweep definition, or a configuration needing another model, is not)."""
    folder = directory or config_dir()
    if not folder.is_dir():
        return []
    names = []
    for path in sorted(folder.glob("*.yaml")):
        try:
            if _NAME.match(path.stem) and _load(path) is not None:
                names.append(path.stem)
        except ServiceError:
            continue
    return names


def default_ranking_config(directory: Path | None = None) -> MatchConfig:
    """The service's default ranking: `default.yaml` if the harness wrote one, else defaults."""
    path = (directory or config_dir()) / f"{DEFAULT_NAME}.yaml"
    return _load(path) if path.is_file() else MatchConfig()


def ranking_config(name: str | None, directory: Path | None = None) -> MatchConfig | None:
    """The configuration a request names (None: the index's default); 422 for an unknown one."""
    if name is None:
        return None
    folder = directory or config_dir()
    path = folder / f"{name}.yaml"
    if not _NAME.match(name) or not path.is_file():
        if name == DEFAULT_NAME:  # the default always exists, if only as MatchConfig()
            return MatchConfig()
        known = available_configs(folder)
        raise ServiceError(
            422,
            "unknown_ranking_config",
            f"没有名为“{name}”的排序配置；可选：{'、'.join(known) or DEFAULT_NAME}",
            available=known,
        )
    return _load(path)


def _load(path: Path) -> MatchConfig:
    """A configuration file, re-read only when it changes on disk."""
    from evaluation.configuration import TokenizerSpec, load_config
    from evaluation.errors import EvaluationError

    modified = path.stat().st_mtime
    with _lock:
        cached = _cache.get(path)
        if cached is not None and cached[0] == modified:
            return cached[1]
    try:
        loaded = load_config(path)
    except EvaluationError as error:
        raise ServiceError(
            422, "ranking_config_invalid", f"排序配置“{path.stem}”无效：{error.message}"
        ) from error
    if loaded.model is not None or loaded.tokenizer != TokenizerSpec():
        # The live index has the deployment's model and dictionary; another needs its own.
        raise ServiceError(
            422,
            "ranking_config_needs_other_index",
            f"排序配置“{path.stem}”需要另建索引（指定了模型或分词词典），在线服务不支持",
        )
    with _lock:
        _cache[path] = (modified, loaded.match)
    return loaded.match
