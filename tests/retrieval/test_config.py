import re
from dataclasses import replace

import pytest

from retrieval.config import ConfigError, RetrievalConfig
from retrieval.indexing import build_index, load_index, retriever_from_config
from retrieval.registry import create, names, register


def test_yaml_section_is_loaded_nested_and_round_trips(tmp_path):
    path = tmp_path / "kefu.yml"
    path.write_text("retrieval:\n  retriever: {type: hybrid, fusion: rrf, weights: {dense_max: 2, bm25_chunk: 1}}\n"
                    "  bm25: {k1: 1.2}\n", "utf-8")
    config = RetrievalConfig.from_yaml(path)
    assert config.retriever == {"type": "hybrid", "fusion": "rrf", "weights": {"dense_max": 2, "bm25_chunk": 1}}
    assert (config.bm25.k1, config.bm25.b) == (1.2, 0.75)
    assert RetrievalConfig.from_dict(config.to_dict()) == config


def test_defaults_are_the_calibrated_numbers():
    """The figures depend on these; the nesting must not have changed a single one."""
    config = RetrievalConfig()
    retriever = retriever_from_config(config, embedder=None)
    assert (config.chunking.max_chars, config.chunking.overlap) == (300, 1)
    assert (config.tokenizer.char_ngrams, config.tokenizer.ngram_scope, config.tokenizer.stopwords_path) == ([2], "text", None)
    assert (retriever.bm25_params["k1"], retriever.bm25_params["b"], retriever.bm25_params["epsilon"]) == (1.5, 0.75, 0.25)
    assert (config.dense.hnsw_threshold, config.dense.hnsw_m, config.dense.ef_search) == (20000, 32, 64)
    assert (retriever.fusion, retriever.rrf_k, retriever.candidate_views, retriever.top_k) == ("linear", 60.0, 100, 3)
    assert retriever.weights == {"dense_max": 0.25, "dense_centroid": 1.0, "bm25_max": 0.0, "bm25_chunk": 0.25}
    assert (config.abstain.min_dense_score, config.abstain.require_lexical_match, config.abstain.lexical_bypass_dense_score,
            config.abstain.min_term_coverage, config.abstain.coverage_bypass_dense_score) == (0.89, True, 0.90, 0.35, 0.91)
    assert (config.gates.hedging_words, config.gates.min_support) == (["可能", "也许", "大概", "或许", "应该是"], 0.6)
    assert (config.embedder, config.generator, config.timeout_seconds) == ({"type": "e5-onnx-int8"}, {"type": "extractive"}, 5.0)


@pytest.mark.parametrize("data, message", [
    ({"retriever": {"type": "hybrid", "fusion": "max"}},
     "retrieval > retriever > fusion: 'max' is not allowed; use one of linear, rrf, dense, bm25"),
    ({"retriever": {"type": "hybrid", "weights": {"dense_max": 0}}},
     "retrieval > retriever > weights: fusion weights must be ≥ 0 and not all 0"),
    ({"retriever": {"type": "hybrid", "weights": {"dense": 1}}}, "unknown fusion signal(s) dense"),
    ({"generator": {"type": "gpt"}},
     "retrieval > generator > type: 'gpt' is not a generator type; allowed types: extractive, openai"),
    ({"retriever": {"type": "hybrid", "top_k": 0}}, "retrieval > retriever > top_k: must be a positive integer"),
    ({"retriever": {"type": "hybrid", "tokenizer": {}}}, "unknown key 'tokenizer' for type 'hybrid'"),
    ({"generator": {"type": "extractive", "greting": ""}},
     "retrieval > generator: unknown key 'greting' for type 'extractive'; allowed keys are type, greeting, max_sentences"),
    ({"tokenizer": {"ngram_scope": "all"}}, "retrieval > tokenizer > ngram_scope: 'all' is not allowed; use 'word' or 'text'"),
    ({"bm25": {"k": 1}}, "retrieval > bm25: unknown key 'k'; allowed keys are b, epsilon, k1"),
    ({"dense": {"hnsw_m": "big"}}, "retrieval > dense > hnsw_m: expected a whole number, got 'big'"),
    ({"embeder": {}}, "retrieval: unknown key 'embeder'; allowed keys are abstain, bm25, chunking"),
    ({"embedder": "e5"}, "retrieval > embedder: expected a mapping of keys, got 'e5'"),
    ({"embedder": {"path": "x"}}, "retrieval > embedder: embedder spec must be a mapping with a 'type' key"),
])
def test_errors_say_what_to_change(data, message):
    with pytest.raises(ConfigError) as raised:
        RetrievalConfig.from_dict(data)
    assert message in str(raised.value)


@pytest.mark.parametrize("old, new", [
    ("bm25_k1", "retrieval: bm25: {k1: ...}"), ("hnsw_ef_search", "retrieval: dense: {ef_search: ...}"),
    ("fusion_weights", "retrieval: retriever: {weights: ...}"), ("top_k", "retrieval: retriever: {top_k: ...}"),
    ("min_dense_score", "retrieval: abstain: {min_dense_score: ...}"), ("max_chunk_chars", "retrieval: chunking: {max_chars: ...}"),
    ("banned_words", "retrieval: gates: {banned_words: ...}"), ("ngram_scope", "retrieval: tokenizer: {ngram_scope: ...}"),
])
def test_old_flat_keys_name_the_new_key(old, new):
    with pytest.raises(ConfigError, match=re.escape(f"retrieval > {old} moved: write {new}")):
        RetrievalConfig.from_dict({old: 1})


def test_resolve_makes_folders_absolute(tmp_path):
    resolved = RetrievalConfig().resolve(tmp_path)
    assert resolved.index_dir == str(tmp_path / "var/index")


@pytest.mark.parametrize("kind", ["dense", "bm25"])
def test_another_retriever_type_is_chosen_by_configuration_alone(tmp_path, hashing_embedder, kind):
    config = RetrievalConfig.from_dict({"embedder": {"type": "test-hashing"}, "retriever": {"type": kind, "top_k": 2}})
    build_index("knowledge", tmp_path / "index", config, hashing_embedder, show_progress=False)
    retriever = load_index(tmp_path / "index", config, hashing_embedder)
    assert type(retriever).__name__ == {"dense": "DenseRetriever", "bm25": "BM25Retriever"}[kind]
    assert retriever.fusion == kind and retriever.to_dict()["type"] == kind
    hits = retriever.run("发票多久能开出来")["hits"]
    assert len(hits) == 2
    signal = f"{kind}_max"
    assert hits[0].signals[signal] >= hits[1].signals[signal]
    assert create("retriever", retriever.to_dict()).to_dict() == retriever.to_dict()


def test_generator_and_embedder_types_come_from_the_registry(monkeypatch):
    from retrieval import registry
    from retrieval.service import KnowledgeService

    monkeypatch.setitem(registry._TYPES["generator"], "echo", None)

    @register("generator", "echo")
    class Echo:
        def __init__(self, prefix: str = "") -> None:
            self.prefix = prefix

        def warm_up(self) -> None:
            """Nothing to load."""

        def to_dict(self) -> dict:
            return {"type": "echo", "prefix": self.prefix}

    assert "echo" in names("generator")
    config = RetrievalConfig.from_dict({"generator": {"type": "echo", "prefix": ">"}})
    assert create("generator", config.generator).to_dict() == {"type": "echo", "prefix": ">"}
    with pytest.raises(ConfigError, match="allowed keys are type, prefix"):
        RetrievalConfig.from_dict({"generator": {"type": "echo", "suffix": ">"}})
    assert isinstance(KnowledgeService(replace(config, index_dir="/nonexistent")), KnowledgeService)
