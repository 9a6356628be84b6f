"""Dense text embedders behind one small protocol; choose one by name with ``create_embedder``."""

from retrieval.embedders.base import EMBEDDER_TYPES, Embedder, create_embedder, l2_normalize

__all__ = ["EMBEDDER_TYPES", "Embedder", "create_embedder", "l2_normalize"]
