"""Saving index state without pickle: numpy archives (`allow_pickle=False`) and JSON headers."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from matcher.errors import IndexFormatError


def str_array(values: Sequence[str]) -> np.ndarray:
    """A fixed-width unicode array (never object dtype, so it saves without pickle)."""
    return np.array(list(values), dtype=str) if len(values) else np.zeros(0, dtype="<U1")


def save_arrays(path: Path, arrays: Mapping[str, np.ndarray]) -> None:
    """Write named arrays to one `.npz`, refusing object arrays (which would need pickle)."""
    for name, array in arrays.items():
        if array.dtype.hasobject:
            raise TypeError(f"array {name!r} has object dtype and cannot be saved without pickle")
    with path.open("wb") as handle:
        np.savez(handle, allow_pickle=False, **arrays)


def load_arrays(path: Path, names: Sequence[str]) -> dict[str, np.ndarray]:
    """Read the named arrays of a `.npz` written by `save_arrays`, never unpickling."""
    try:
        with np.load(path, allow_pickle=False) as archive:
            return {name: archive[name] for name in names}
    except (OSError, KeyError, ValueError) as exc:
        raise IndexFormatError(f"索引文件无法读取：{path.name}（{exc}）") from exc


def write_json(path: Path, payload: Mapping[str, Any]) -> None:
    """Write a JSON header, UTF-8, stable key order."""
    text = json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True)
    path.write_text(text + "\n", encoding="utf-8")


def read_header(path: Path, *, kind: str, version: int) -> dict[str, Any]:
    """Read a JSON header and check it was written for this kind of index and format version."""
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexFormatError(f"索引描述文件无法读取：{path.name}（{exc}）") from exc
    if not isinstance(payload, dict) or payload.get("kind") != kind:
        raise IndexFormatError(f"{path.name} 不是 {kind} 索引")
    if payload.get("format_version") != version:
        raise IndexFormatError(
            f"{path.name} 的格式版本为 {payload.get('format_version')}，本程序只读取版本 {version}"
        )
    return payload
