import shutil
from pathlib import Path

from bot.fingerprint import fingerprint_files


def make_project(root: Path) -> list[Path]:
    (root / "data").mkdir(parents=True)
    (root / "data" / "nlu.yml").write_text("version: '3.1'\n", encoding="utf-8")
    (root / "domain.yml").write_text("intents: [greet]\n", encoding="utf-8")
    return [root / "domain.yml", root / "data"]


def test_same_content_in_two_places_has_the_same_fingerprint(tmp_path: Path) -> None:
    first = make_project(tmp_path / "a")
    shutil.copytree(tmp_path / "a", tmp_path / "b")
    second = [tmp_path / "b" / "domain.yml", tmp_path / "b" / "data"]
    assert fingerprint_files(first) == fingerprint_files(second)


def test_any_change_of_content_name_or_salt_changes_it(tmp_path: Path) -> None:
    inputs = make_project(tmp_path)
    original = fingerprint_files(inputs)
    (tmp_path / "data" / "nlu.yml").write_text("version: '3.1'\n# edit\n", encoding="utf-8")
    edited = fingerprint_files(inputs)
    assert edited != original
    (tmp_path / "data" / "nlu.yml").rename(tmp_path / "data" / "nlu2.yml")
    assert fingerprint_files(inputs) not in {original, edited}
    assert fingerprint_files(inputs, salt="rasa==1") != fingerprint_files(inputs, salt="rasa==2")


def test_caches_and_missing_paths_do_not_count(tmp_path: Path) -> None:
    inputs = make_project(tmp_path)
    original = fingerprint_files(inputs)
    (tmp_path / "data" / "__pycache__").mkdir()
    (tmp_path / "data" / "__pycache__" / "x.pyc").write_bytes(b"\0")
    assert fingerprint_files([*inputs, tmp_path / "missing"]) == original
