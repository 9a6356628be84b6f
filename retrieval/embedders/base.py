"""The embedder contract shared by the retriever and the Rasa NLU featurizer.

An embedder turns texts into float32, L2-normalised row vectors, so a dot product is a cosine.
Queries and passages are embedded separately because e5-style models are asymmetric
(``query: `` / ``passage: `` prefixes). Construction is light (JSON-serialisable arguments);
heavy state is loaded in ``warm_up()``, which the embed methods call lazily if needed.

This module imports only numpy so that it works in both Python environments (3.10 Rasa side,
3.11 retrieval side); concrete embedders are imported lazily by :func:`create_embedder` (via the registry).
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

import numpy as np

from retrieval.registry import create, names

# Named, versioned choices for configuration files (``embedder: {type: e5-onnx-int8}``) live in
# :mod:`retrieval.registry`, the one list of component types.
EMBEDDER_TYPES: list[str] = names("embedder")  # the built-in types, for messages and docs


@runtime_checkable
class Embedder(Protocol):
    """Dense text embedder: float32 rows of shape (n, dim), L2-normalised."""

    name: str
    dim: int

    def warm_up(self) -> None:
        """Load models/sessions; idempotent."""

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """Embed search queries; shape (len(texts), dim)."""

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        """Embed documents/passages; shape (len(texts), dim)."""

    def to_dict(self) -> dict[str, Any]:
        """A spec that :func:`create_embedder` turns back into an equal embedder."""


def l2_normalize(vectors: np.ndarray) -> np.ndarray:
    """Row-wise L2 normalisation as float32 (zero rows stay zero)."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.maximum(norms, 1e-12)).astype(np.float32, copy=False)


def create_embedder(spec: dict[str, Any]) -> Embedder:
    """Build an embedder from ``{"type": <name>, **init_parameters}`` (the shape of ``to_dict()``).

    Raises ValueError naming the allowed types for an unknown or missing ``type``, and for
    parameters the chosen embedder does not accept.
    """
    return create("embedder", spec)
