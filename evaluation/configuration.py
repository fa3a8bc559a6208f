"""Named ranking configurations: YAML in `evaluation/configs/` -> `EvalConfig` -> `MatchConfig`.

A file names the configuration and gives, under `match:`, any fields of `matcher.MatchConfig`
(retrievers, fusion method and weights, rrf_k, normalisation, candidate depths, case
aggregation, and `confidence:` thresholds); `model:`, `tokenizer:` and `dense_storage:` say
which index it needs (null: the deployment's model, dictionary and dense storage).
Relative paths are read from the current directory (the repository root).
`evaluation/configs/default.yaml` is the default ranking of the service: `default_match_config()`
reads it, `funeng eval sweep --write-default` writes it. See `evaluation/formats.md` for an example.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from evaluation.errors import ConfigInvalid
from matcher.confidence import ConfidenceConfig
from matcher.config import MatchConfig
from matcher.dense import STORAGES, DenseStorage
from matcher.errors import MatcherError

CONFIG_DIR = Path(__file__).resolve().parent / "configs"
DEFAULT_CONFIG_PATH = CONFIG_DIR / "default.yaml"
_TOP_KEYS = {"name", "description", "model", "tokenizer", "dense_storage", "match"}
_MATCH_FIELDS = {f.name for f in dataclasses.fields(MatchConfig)}
_CONFIDENCE_FIELDS = {f.name for f in dataclasses.fields(ConfidenceConfig)}


@dataclass(frozen=True, slots=True)
class TokenizerSpec:
    """Which dictionary the index is tokenised with (None: the shipped files)."""

    userdict: Path | None = None
    stopwords: Path | None = None
    hmm: bool = False

    def key(self) -> tuple[str, str, bool]:
        """What makes two specs build the same index."""
        return (str(self.userdict or ""), str(self.stopwords or ""), self.hmm)


@dataclass(frozen=True, slots=True)
class EvalConfig:
    """A named ranking configuration and the index (model, tokenizer) it runs on."""

    name: str
    match: MatchConfig = field(default_factory=MatchConfig)
    description: str = ""
    model: str | None = None
    tokenizer: TokenizerSpec = field(default_factory=TokenizerSpec)
    dense_storage: DenseStorage | None = None  # None: the deployment's (index.dense_storage)

    def with_match(self, name: str, **changes: Any) -> EvalConfig:
        """A variant with other MatchConfig fields; `confidence.x` keys change the thresholds."""
        return dataclasses.replace(self, name=name, match=vary(self.match, changes))


def vary(match: MatchConfig, changes: Mapping[str, Any]) -> MatchConfig:
    """`match` with `changes` applied (`confidence.min_confidence` style keys for thresholds)."""
    plain = {k: v for k, v in changes.items() if not k.startswith("confidence.")}
    nested = {k.split(".", 1)[1]: v for k, v in changes.items() if k.startswith("confidence.")}
    data = dataclasses.asdict(match)
    data.pop("confidence")
    return _match({**data, **plain, "confidence": {**_as_dict(match.confidence), **nested}})


def parse_config(data: object, *, default_name: str) -> EvalConfig:
    """An EvalConfig from parsed YAML; ConfigInvalid names the bad key."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigInvalid("配置文件必须是 YAML 映射")
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise ConfigInvalid(f"未知的配置项：{'、'.join(sorted(unknown))}", loc="/")
    tokenizer = data.get("tokenizer") or {}
    if not isinstance(tokenizer, dict) or set(tokenizer) - {"userdict", "stopwords", "hmm"}:
        raise ConfigInvalid("tokenizer 只能包含 userdict、stopwords、hmm", loc="tokenizer")
    model = data.get("model")
    storage = data.get("dense_storage")
    if storage is not None and storage not in STORAGES:
        raise ConfigInvalid(f"dense_storage 只能是 {' / '.join(STORAGES)}", loc="dense_storage")
    return EvalConfig(
        name=str(data.get("name") or default_name),
        description=str(data.get("description") or ""),
        model=None if model is None else str(model),
        dense_storage=storage,
        tokenizer=TokenizerSpec(
            userdict=_path(tokenizer.get("userdict")),
            stopwords=_path(tokenizer.get("stopwords")),
            hmm=bool(tokenizer.get("hmm", False)),
        ),
        match=_match(data.get("match") or {}),
    )


def _match(data: object) -> MatchConfig:
    if not isinstance(data, dict):
        raise ConfigInvalid("match 必须是映射", loc="match")
    unknown = set(data) - _MATCH_FIELDS
    if unknown:
        raise ConfigInvalid(f"MatchConfig 没有字段：{'、'.join(sorted(unknown))}", loc="match")
    confidence = data.get("confidence") or {}
    if not isinstance(confidence, dict) or set(confidence) - _CONFIDENCE_FIELDS:
        bad = sorted(set(confidence) - _CONFIDENCE_FIELDS) if isinstance(confidence, dict) else []
        raise ConfigInvalid(f"confidence 没有字段：{'、'.join(bad)}", loc="match.confidence")
    try:
        return MatchConfig(**{**data, "confidence": ConfidenceConfig(**confidence)})
    except (MatcherError, TypeError) as error:
        raise ConfigInvalid(getattr(error, "message", str(error)), loc="match") from error


def _path(value: object) -> Path | None:
    return None if value in (None, "") else Path(str(value))


def load_config(path: Path) -> EvalConfig:
    """Read a configuration file; the file name (without .yaml) is the default name."""
    path = Path(path)
    if not path.is_file():
        raise ConfigInvalid(f"找不到配置文件 {path}", code="eval_config_missing", loc=str(path))
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ConfigInvalid(f"YAML 无法解析：{error}", loc=str(path)) from error
    try:
        return parse_config(data, default_name=path.stem)
    except ConfigInvalid as error:
        raise ConfigInvalid(error.message, code=error.code, loc=f"{path}:{error.loc}") from error


def config_dict(config: EvalConfig) -> dict[str, Any]:
    """The plain form of a configuration (what `write_config` writes and reports show)."""
    tok = config.tokenizer
    return {
        "name": config.name,
        "description": config.description,
        "model": config.model,
        "tokenizer": {
            "userdict": None if tok.userdict is None else str(tok.userdict),
            "stopwords": None if tok.stopwords is None else str(tok.stopwords),
            "hmm": tok.hmm,
        },
        "dense_storage": config.dense_storage,
        "match": {
            **dataclasses.asdict(config.match),
            "confidence": _as_dict(config.match.confidence),
        },
    }


def differences(before: MatchConfig, after: MatchConfig) -> dict[str, tuple[Any, Any]]:
    """Fields that differ (`confidence.x` for thresholds): name -> (before, after)."""
    flat = []
    for match in (before, after):
        data = dataclasses.asdict(match)
        confidence = data.pop("confidence")
        flat.append(data | {f"confidence.{k}": v for k, v in confidence.items()})
    return {k: (flat[0][k], flat[1][k]) for k in flat[0] if flat[0][k] != flat[1][k]}


def _as_dict(confidence: ConfidenceConfig) -> dict[str, Any]:
    return {f: getattr(confidence, f) for f in sorted(_CONFIDENCE_FIELDS)}


def write_config(path: Path, config: EvalConfig, *, header: str = "") -> None:
    """Write a configuration as YAML, `header` as leading comment lines."""
    comment = "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines())
    body = yaml.safe_dump(config_dict(config), allow_unicode=True, sort_keys=False, width=100)
    path.write_text(comment + body, encoding="utf-8")


def default_match_config(path: Path = DEFAULT_CONFIG_PATH) -> MatchConfig:
    """The service's default ranking: the `match:` of default.yaml (MatchConfig() if absent)."""
    if not Path(path).is_file():
        return MatchConfig()
    return load_config(path).match
