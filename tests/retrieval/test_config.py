import pytest

from retrieval.config import ConfigError, RetrievalConfig


def test_yaml_section_is_loaded_and_validated(tmp_path):
    path = tmp_path / "kefu.yml"
    path.write_text("retrieval:\n  fusion: rrf\n  fusion_weights: {dense_max: 2, bm25_chunk: 1}\n", "utf-8")
    config = RetrievalConfig.from_yaml(path)
    assert (config.fusion, config.fusion_weights) == ("rrf", {"dense_max": 2, "bm25_chunk": 1})
    assert RetrievalConfig.from_dict(config.to_dict()) == config


@pytest.mark.parametrize("data, message", [
    ({"fusion": "max"}, "retrieval.fusion is 'max'; use one of linear, rrf, dense, bm25"),
    ({"fusion_weights": {"dense_max": 0}}, "retrieval.fusion_weights: fusion weights must be ≥ 0 and not all 0"),
    ({"fusion_weights": {"dense": 1}}, "unknown fusion signal(s) dense"),
    ({"generator": {"type": "gpt"}}, "retrieval.generator.type is 'gpt'; use one of extractive, openai"),
    ({"top_k": 0}, "retrieval.top_k must be a positive integer"),
    ({"ngram_scope": "all"}, "retrieval.ngram_scope is 'all'; use 'word' or 'text'"),
    ({"embeder": {}}, "unknown key(s) in retrieval config: embeder"),
    ({"embedder": "e5"}, "must be a mapping with a 'type'"),
])
def test_errors_say_what_to_change(data, message):
    with pytest.raises(ConfigError) as raised:
        RetrievalConfig.from_dict(data)
    assert message in str(raised.value)


def test_resolve_makes_folders_absolute(tmp_path):
    resolved = RetrievalConfig().resolve(tmp_path)
    assert resolved.index_dir == str(tmp_path / "var/index")
