"""Errors of indexing, each with a stable English `code` and a Chinese `message` for people."""

from __future__ import annotations

from matcher.errors import CodedError


class IndexingError(CodedError):
    """Base of every indexing error."""

    default_code = "indexing_error"


class NoSnapshot(IndexingError):
    """The index folder holds no complete snapshot (never built, or every one is incomplete)."""

    default_code = "no_snapshot"


class SnapshotMismatch(IndexingError):
    """A snapshot was built for another model, dimension, dictionary, format or ranking factors.

    `code` says which: `format_version_mismatch`, `model_id_mismatch`, `model_hash_mismatch`,
    `dimension_mismatch`, `dictionary_hash_mismatch`, `factors_mismatch`. Rebuild the index.
    """

    default_code = "snapshot_mismatch"


class SnapshotCorrupt(IndexingError):
    """A snapshot's files do not match its manifest (`checksum_mismatch`, `file_missing`)."""

    default_code = "snapshot_corrupt"


class IndexNotReady(IndexingError):
    """A search arrived before the live index was loaded or built."""

    default_code = "index_not_ready"


class InvalidFilter(IndexingError):
    """A filter value that no resource can ever have (unknown direction, form, industry...)."""

    default_code = "invalid_filter"
