"""Value types shared by the matcher and its callers: documents, filters, hits, results, encoder."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal, Protocol, runtime_checkable

import numpy as np

DocKind = Literal["resource", "case"]
DOC_KINDS: tuple[str, ...] = ("resource", "case")

# Facets a need can be filtered on (DESIGN.md "Filters and facets"). Values are plain strings:
# directions / forms from registry.reference, industry codes "C13".."C43", city names,
# provider types (OrgType values) and library status ("certified" / "warned").
FACETS: tuple[str, ...] = ("direction", "form", "industry", "city", "provider_type", "status")

# Flags a document may carry; they are copied onto the ResourceMatch of its resource.
FLAG_WARNED = "warned"  # Art.19(1): still found, flagged and demoted by its prior
FLAG_PRIORITY = "priority"  # Art.19(4): boosted by its prior
FLAG_LOW_CONFIDENCE = "low_confidence"  # set by the matcher on a weak match it still returns


@dataclass(frozen=True, slots=True)
class Document:
    """One indexed unit: a resource, or one application case of a resource.

    `text` is what BM25 and the encoder see, so it should already contain the title and every
    searchable field. `fields` are the (name, text) pairs shown to users; explanations give
    character offsets into these texts. Filters are evaluated on the facets of the *resource*
    document of a resource and apply to its case documents too, so case documents need not
    repeat them. `prior` multiplies the resource's fused score (warned demotion < 1, priority
    boost > 1); the resource document's prior is the one applied.
    """

    doc_id: str
    resource_id: str
    kind: DocKind
    title: str
    text: str
    fields: tuple[tuple[str, str], ...] = ()
    facets: Mapping[str, tuple[str, ...]] = field(default_factory=dict, hash=False)
    provider_id: str = ""
    prior: float = 1.0
    flags: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.doc_id or not self.resource_id:
            raise ValueError("Document needs a non-empty doc_id and resource_id")
        if self.kind not in DOC_KINDS:
            raise ValueError(f"Document kind must be one of {DOC_KINDS}, got {self.kind!r}")
        if not (math.isfinite(self.prior) and self.prior > 0):
            raise ValueError(f"Document prior must be a finite positive number, got {self.prior}")
        unknown = set(self.facets) - set(FACETS)
        if unknown:
            raise ValueError(f"unknown facets {sorted(unknown)}; known: {FACETS}")
        frozen = {name: tuple(values) for name, values in self.facets.items()}
        object.__setattr__(self, "facets", MappingProxyType(frozen))
        object.__setattr__(self, "fields", tuple((n, t) for n, t in self.fields))
        object.__setattr__(self, "flags", tuple(self.flags))

    def display_fields(self) -> tuple[tuple[str, str], ...]:
        """The texts explanations point into: the title, then `fields` (or `text` if none)."""
        body = self.fields if self.fields else (("text", self.text),)
        return (("title", self.title), *body)


@dataclass(frozen=True, slots=True)
class Filters:
    """Allowed values per facet: AND across facets, OR within one; empty means no constraint."""

    direction: frozenset[str] = frozenset()
    form: frozenset[str] = frozenset()
    industry: frozenset[str] = frozenset()
    city: frozenset[str] = frozenset()
    provider_type: frozenset[str] = frozenset()
    status: frozenset[str] = frozenset()

    @classmethod
    def of(cls, **facets: Iterable[str] | str | None) -> Filters:
        """Build from keywords; a bare string is one value, None or empty is no constraint."""
        values: dict[str, frozenset[str]] = {}
        for name, given in facets.items():
            if name not in FACETS:
                raise ValueError(f"unknown facet {name!r}; known: {FACETS}")
            if given is None:
                continue
            values[name] = frozenset([given] if isinstance(given, str) else given)
        return cls(**values)

    def active(self) -> dict[str, frozenset[str]]:
        """The constrained facets only."""
        return {name: getattr(self, name) for name in FACETS if getattr(self, name)}

    def is_empty(self) -> bool:
        """True when no facet is constrained."""
        return not self.active()

    def allows(self, facets: Mapping[str, Sequence[str]]) -> bool:
        """Reference predicate (used by tests and small callers); the matcher uses bitsets."""
        return all(set(facets.get(name, ())) & allowed for name, allowed in self.active().items())


@dataclass(frozen=True, slots=True)
class Hit:
    """One ranked document from a retriever or a fusion: higher score is better, rank from 1."""

    doc_id: str
    score: float
    rank: int


@runtime_checkable
class Encoder(Protocol):
    """Turns texts into float32, L2-normalised rows; adds model-specific prefixes itself."""

    @property
    def model_id(self) -> str:
        """Identifies the model and everything that changes its vectors (cache and manifest key)."""
        ...

    @property
    def dimension(self) -> int:
        """Length of every vector."""
        ...

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Embed needs (e5: with the `query: ` prefix); shape (len(texts), dimension)."""
        ...

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Embed documents (e5: with the `passage: ` prefix); shape (len(texts), dimension)."""
        ...


@dataclass(frozen=True, slots=True)
class MatchedTerm:
    """A query term found in a displayed field: `text[start:end] == term` for that field's text."""

    term: str
    field: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class RetrieverEvidence:
    """How one retriever ranked a resource: the best rank (from 1) and score of its documents."""

    name: str
    rank: int
    score: float


@dataclass(frozen=True, slots=True)
class ResourceMatch:
    """One matched resource with its reasons: retriever ranks, matched terms, evidence case."""

    resource_id: str
    score: float
    confidence: float
    retrievers: tuple[RetrieverEvidence, ...] = ()
    matched_terms: tuple[MatchedTerm, ...] = ()
    evidence_doc_id: str | None = None
    evidence_terms: tuple[MatchedTerm, ...] = ()
    flags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MatchResponse:
    """Ranked matches, or `no_suitable_resource` with a stable English `reason` code."""

    matches: tuple[ResourceMatch, ...]
    no_suitable_resource: bool
    reason: str


# Stable reason codes of MatchResponse (the API maps them to Chinese messages).
REASON_OK = "ok"
REASON_EMPTY_QUERY = "empty_query"  # nothing searchable left after query cleaning
REASON_NO_CANDIDATES = "no_candidates"  # no document passed the filters and matched
REASON_LOW_CONFIDENCE = "low_confidence"  # candidates exist but none is confident enough


@dataclass(frozen=True, slots=True)
class BundlePart:
    """One resource of a bundle and the aspects (indexes into `BundleResponse.aspects`) covered."""

    match: ResourceMatch
    aspects: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class BundleResponse:
    """Complementary resources that together cover a multi-aspect need (Art.5 综合赋能)."""

    aspects: tuple[str, ...]
    parts: tuple[BundlePart, ...]
    uncovered: tuple[int, ...]
