import re
from pathlib import Path

import pytest

from bot.config import ConfigError, KefuConfig, load_config

REPO = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kefu.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_repository_config_is_valid_and_matches_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for service in ("GATEWAY", "RASA", "ACTIONS"):
        monkeypatch.delenv(f"KEFU_PORT_{service}", raising=False)
    config = load_config(REPO / "kefu.yml")
    defaults = KefuConfig()
    assert config.ports == defaults.ports
    assert config.paths == defaults.paths
    assert config.rasa == defaults.rasa
    assert config.root == REPO


def test_empty_file_gives_defaults(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, ""))
    assert config.ports.rasa == 5005
    assert config.url("gateway") == "http://127.0.0.1:8000"
    assert config.path("var") == tmp_path / "var"


def test_unknown_key_names_the_key_and_the_allowed_ones(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"kefu.yml > ports: unknown key 'gatway'; allowed keys are actions, gateway, rasa"):
        load_config(write(tmp_path, "ports:\n  gatway: 8000\n"))


def test_wrong_type_says_what_was_expected(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"ports > rasa: expected a whole number, got 'abc'"):
        load_config(write(tmp_path, "ports:\n  rasa: abc\n"))


def test_port_out_of_range_and_duplicate_ports_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="70000 is not a TCP port"):
        load_config(write(tmp_path, "ports:\n  rasa: 70000\n"))
    with pytest.raises(ConfigError, match="each service needs its own port"):
        load_config(write(tmp_path, "ports:\n  rasa: 8000\n"))


def test_invalid_yaml_and_non_mapping_are_reported(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(write(tmp_path, "ports: [unclosed\n"))
    with pytest.raises(ConfigError, match="top level must be a mapping"):
        load_config(write(tmp_path, "- a\n- b\n"))


def test_missing_explicit_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "nope.yml")


def test_environment_overrides_ports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEFU_PORT_GATEWAY", "18000")
    assert load_config(write(tmp_path, "")).ports.gateway == 18000
    monkeypatch.setenv("KEFU_PORT_GATEWAY", "eighteen")
    with pytest.raises(ConfigError, match="KEFU_PORT_GATEWAY='eighteen' is not a port number"):
        load_config(write(tmp_path, ""))


def test_training_data_must_be_a_list_of_strings(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "rasa:\n  training_data: [data]\n"))
    assert config.rasa.training_data == ("data",)
    with pytest.raises(ConfigError, match="expected a list of strings"):
        load_config(write(tmp_path, "rasa:\n  training_data: data\n"))


def test_rasa_workers_get_consecutive_ports(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "ports: {rasa: 6100, gateway: 6200, actions: 6300}\nrasa: {workers: 3}\n"))
    assert config.rasa_ports() == [6100, 6101, 6102]
    assert config.rasa_urls()[2] == "http://127.0.0.1:6102"
    assert config.rasa.workers == 3


@pytest.mark.parametrize("text, fragment", [
    ("rasa: {workers: 0}\n", "rasa > workers: 0 is not between 1 and 8"),
    ("rasa: {workers: 9}\n", "is not between 1 and 8"),
    ("ports: {rasa: 5005, actions: 5006}\nrasa: {workers: 2}\n", "includes ports.actions (5006)"),
    ("ports: {rasa: 65535}\nrasa: {workers: 2}\n", "run past 65535"),
])
def test_rasa_workers_out_of_range_or_overlapping_a_port_are_refused(tmp_path: Path, text: str, fragment: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(fragment)):
        load_config(write(tmp_path, text))


def test_retrieval_is_typed_and_old_flat_keys_name_the_new_key(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "retrieval:\n  bm25: {k1: 1.2}\n  retriever: {type: dense}\n"))
    assert (config.retrieval.bm25.k1, config.retrieval.retriever) == (1.2, {"type": "dense"})
    with pytest.raises(ConfigError, match=re.escape("kefu.yml > retrieval > bm25_k1 moved: write retrieval: bm25: {k1: ...}")):
        load_config(write(tmp_path, "retrieval:\n  bm25_k1: 1.2\n"))
    with pytest.raises(ConfigError, match=re.escape("kefu.yml > retrieval > generator > type: 'gpt' is not a generator type")):
        load_config(write(tmp_path, "retrieval:\n  generator: {type: gpt}\n"))
    with pytest.raises(ConfigError, match="set paths.index instead"):
        load_config(write(tmp_path, "retrieval:\n  index_dir: x\n"))


def test_repository_persona_and_texts_come_from_kefu_yml() -> None:
    config = load_config(REPO / "kefu.yml")
    assert (config.persona.bot_name, config.persona.company) == ("小优", "好物优选")
    assert "小优" in config.retrieval.texts.safe and "小优" not in KefuConfig().retrieval.texts.safe
