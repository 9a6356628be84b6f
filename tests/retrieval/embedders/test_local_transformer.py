from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from retrieval.embedders import Embedder, create_embedder
from retrieval.embedders.e5_onnx import E5OnnxEmbedder
from retrieval.embedders.local_transformer import LocalTransformerEmbedder

WORDS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "query", "passage", ":",
         "return", "shipping", "invoice", "refund", "who", "pays"]


def _save_tiny_model(folder: Path, pooling: dict[str, object], prompts: dict[str, str] | None) -> Path:
    """A 2-layer random BERT with a word-level tokenizer, in sentence-transformers layout."""
    import torch
    from tokenizers import Tokenizer, models, pre_tokenizers, processors
    from transformers import BertConfig, BertModel, PreTrainedTokenizerFast

    torch.manual_seed(0)
    config = BertConfig(vocab_size=len(WORDS), hidden_size=16, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=32, max_position_embeddings=64)
    BertModel(config, add_pooling_layer=False).save_pretrained(folder)
    vocab = {word: index for index, word in enumerate(WORDS)}
    tokenizer = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", 2), ("[SEP]", 3)])
    PreTrainedTokenizerFast(tokenizer_object=tokenizer, pad_token="[PAD]", unk_token="[UNK]",
                            cls_token="[CLS]", sep_token="[SEP]").save_pretrained(folder)
    (folder / "1_Pooling").mkdir()
    (folder / "1_Pooling" / "config.json").write_text(json.dumps(pooling), encoding="utf-8")
    (folder / "modules.json").write_text(json.dumps([
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
    ]), encoding="utf-8")
    if prompts is not None:
        (folder / "config_sentence_transformers.json").write_text(json.dumps({"prompts": prompts}), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def tiny_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pooling = {"word_embedding_dimension": 16, "pooling_mode_mean_tokens": True}
    return _save_tiny_model(tmp_path_factory.mktemp("tiny"), pooling, {"query": "query: ", "passage": "passage: "})


def test_tiny_model_embeds_normalised_rows(tiny_dir: Path) -> None:
    embedder = create_embedder({"type": "sentence-transformers-dir", "path": str(tiny_dir), "batch_size": 2})
    assert isinstance(embedder, LocalTransformerEmbedder) and isinstance(embedder, Embedder)
    assert embedder.dim == 16  # known before warm_up, from 1_Pooling/config.json
    vectors = embedder.embed_passages(["return shipping", "invoice", "refund who pays"])
    assert vectors.shape == (3, 16) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert embedder.embed_queries([]).shape == (0, 16)


def test_prompts_from_the_directory_and_explicit_prefixes(tiny_dir: Path) -> None:
    from_dir = LocalTransformerEmbedder(str(tiny_dir))
    explicit = LocalTransformerEmbedder(str(tiny_dir), query_prefix="query: ", passage_prefix="query: ")
    query, passage = from_dir.embed_queries(["refund"])[0], from_dir.embed_passages(["refund"])[0]
    assert float(query @ passage) < 0.9999  # different prompts -> different vectors
    np.testing.assert_allclose(explicit.embed_passages(["refund"])[0], query, atol=1e-6)


def _reference(folder: Path, text: str, pooling: str) -> np.ndarray:
    import torch
    from transformers import AutoModel, AutoTokenizer

    batch = AutoTokenizer.from_pretrained(folder)([text], return_tensors="pt")
    with torch.no_grad():
        hidden = AutoModel.from_pretrained(folder).eval()(**batch).last_hidden_state[0].numpy()
    vector = hidden[0] if pooling == "cls" else hidden.mean(axis=0)
    return vector / np.linalg.norm(vector)


def test_mean_pooling_matches_the_model_output(tiny_dir: Path) -> None:
    embedder = LocalTransformerEmbedder(str(tiny_dir), passage_prefix="")
    expected = _reference(tiny_dir, "return shipping", "mean")
    np.testing.assert_allclose(embedder.embed_passages(["return shipping"])[0], expected, atol=1e-5)


def test_cls_pooling_is_honoured(tmp_path: Path) -> None:
    _save_tiny_model(tmp_path, {"pooling_mode_cls_token": True, "pooling_mode_mean_tokens": False}, None)
    expected = _reference(tmp_path, "return shipping", "cls")
    np.testing.assert_allclose(LocalTransformerEmbedder(str(tmp_path)).embed_passages(["return shipping"])[0],
                               expected, atol=1e-5)


def test_round_trip_and_name(tiny_dir: Path) -> None:
    embedder = LocalTransformerEmbedder(str(tiny_dir), max_length=32)
    assert create_embedder(embedder.to_dict()).to_dict() == embedder.to_dict()
    assert embedder.name == f"sentence-transformers-dir:{tiny_dir.resolve()}"


def test_missing_directory_is_a_clear_error(tmp_path: Path) -> None:
    embedder = create_embedder({"type": "sentence-transformers-dir", "path": str(tmp_path / "absent")})
    with pytest.raises(FileNotFoundError, match="sentence-transformers model directory not found: .*absent"):
        embedder.warm_up()
    with pytest.raises(FileNotFoundError, match="has no config.json"):
        LocalTransformerEmbedder(str(tmp_path)).warm_up()


@pytest.mark.slow
def test_fp32_e5_directory_agrees_with_the_int8_build(tmp_path_factory: pytest.TempPathFactory,
                                                      onnx_embedder: E5OnnxEmbedder) -> None:
    from models.e5_build import SOURCES
    from models.e5_export import save_fp32_model
    from models.e5_samples import SAMPLE_SENTENCES

    paths = {source.role: source.locate() for source in SOURCES}
    folder = save_fp32_model(paths["weights"], paths["tokenizer"], tmp_path_factory.mktemp("e5-fp32"))
    fp32 = LocalTransformerEmbedder(str(folder))
    texts = list(SAMPLE_SENTENCES)
    for mode in ("embed_queries", "embed_passages"):
        cosines = (getattr(fp32, mode)(texts) * getattr(onnx_embedder, mode)(texts)).sum(axis=1)
        assert cosines.min() >= 0.99, (mode, cosines.round(4))
    assert fp32.dim == 384
