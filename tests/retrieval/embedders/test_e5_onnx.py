from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from retrieval.embedders import Embedder, create_embedder
from retrieval.embedders.e5_onnx import E5OnnxEmbedder, default_model_dir

REPO = Path(__file__).resolve().parents[3]

PASSAGES = [
    "发货时间：付款后48小时内从杭州仓发出，节假日顺延。",
    "退货运费：七天无理由退货的运费由买家承担；商品有质量问题时，退货运费由我们承担。",
    "发票：下单时可选择电子普通发票或增值税专用发票，发货后三天内开具。",
    "会员积分：每消费1元积1分，积分可在会员中心兑换优惠券。",
]


def test_shapes_dtype_and_unit_norm(onnx_embedder: E5OnnxEmbedder) -> None:
    queries = onnx_embedder.embed_queries(["退货运费谁出？", "How do I get an invoice?"])
    passages = onnx_embedder.embed_passages(PASSAGES)
    for vectors, rows in ((queries, 2), (passages, 4)):
        assert vectors.shape == (rows, 384) and vectors.dtype == np.float32
        np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert onnx_embedder.embed_queries([]).shape == (0, 384)
    assert isinstance(onnx_embedder, Embedder) and onnx_embedder.dim == 384


def test_return_shipping_question_ranks_its_passage_first(onnx_embedder: E5OnnxEmbedder) -> None:
    for query in ("退货运费谁出？", "退货的运费要我自己付吗", "Who pays for return shipping?"):
        scores = onnx_embedder.embed_passages(PASSAGES) @ onnx_embedder.embed_queries([query])[0]
        assert int(np.argmax(scores)) == 1, (query, scores.round(3))


def test_query_and_passage_prefixes_differ(onnx_embedder: E5OnnxEmbedder) -> None:
    text = ["退货运费谁出？"]
    cosine = float(onnx_embedder.embed_queries(text)[0] @ onnx_embedder.embed_passages(text)[0])
    assert 0.8 < cosine < 0.999


def test_length_grouped_batches_keep_input_order(onnx_embedder: E5OnnxEmbedder, e5_model_dir: Path) -> None:
    texts = [PASSAGES[1] * 3, "发票", PASSAGES[0], "积分", PASSAGES[3] * 2]
    batched = E5OnnxEmbedder(model_dir=str(e5_model_dir), batch_size=2).embed_passages(texts)
    one_by_one = np.concatenate([onnx_embedder.embed_passages([text]) for text in texts])
    assert (batched * one_by_one).sum(axis=1).min() > 0.99


def test_long_text_is_truncated_to_max_length(e5_model_dir: Path) -> None:
    short = E5OnnxEmbedder(model_dir=str(e5_model_dir), max_length=16)
    long_text = "退货运费由买家承担。" * 200
    head = long_text[:9]
    vectors = short.embed_passages([long_text, head * 3])
    assert vectors.shape == (2, 384) and np.isfinite(vectors).all()


def test_missing_model_dir_says_how_to_build(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"python -m models\.e5_build"):
        E5OnnxEmbedder(model_dir=str(tmp_path / "nowhere")).warm_up()


def test_default_dir_follows_kefu_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KEFU_CACHE", str(tmp_path))
    assert default_model_dir() == tmp_path / "models" / "e5-small-onnx-int8"
    assert E5OnnxEmbedder().resolved_model_dir() == tmp_path / "models" / "e5-small-onnx-int8"


def test_to_dict_round_trips_through_the_factory(e5_model_dir: Path) -> None:
    embedder = E5OnnxEmbedder(model_dir=str(e5_model_dir), max_length=128, batch_size=8, intra_op_threads=1)
    again = create_embedder(embedder.to_dict())
    assert isinstance(again, E5OnnxEmbedder) and again.to_dict() == embedder.to_dict()


def test_invalid_arguments_are_rejected() -> None:
    with pytest.raises(ValueError, match="max_length"):
        E5OnnxEmbedder(max_length=1024)


_RUNTIME_ONLY = """
import sys
from retrieval.embedders.e5_onnx import E5OnnxEmbedder
vectors = E5OnnxEmbedder(model_dir=sys.argv[1]).embed_queries(["退货运费谁出？"])
heavy = sorted(m for m in ("torch", "transformers") if m in sys.modules)
print(vectors.shape, heavy)
"""


def test_runtime_needs_no_torch_or_transformers(e5_model_dir: Path) -> None:
    result = subprocess.run([sys.executable, "-c", _RUNTIME_ONLY, str(e5_model_dir)], cwd=REPO,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "(1, 384) []"


def _python310() -> str | None:
    """The Rasa side's interpreter (KEFU_RASA_PYTHON) or a pyenv 3.10, if it runs."""
    candidates = [os.environ.get("KEFU_RASA_PYTHON", "")]
    candidates += sorted(str(p) for p in Path.home().glob(".pyenv/versions/3.10.*/bin/python"))
    for candidate in filter(None, candidates):
        probe = subprocess.run([candidate, "--version"], capture_output=True, text=True, timeout=30)
        if probe.returncode == 0 and probe.stdout.startswith("Python 3.10"):
            return candidate
    return None


_PY310 = """
import ast, sys
repo, model_dir = sys.argv[1], sys.argv[2]
for name in ("__init__.py", "base.py", "e5_onnx.py"):
    path = repo + "/retrieval/embedders/" + name
    ast.parse(open(path, encoding="utf-8").read(), path)
try:
    import onnxruntime, tokenizers
except ImportError:  # this interpreter lacks the runtime deps: syntax is all we can check
    print("parsed")
    raise SystemExit(0)
sys.path.insert(0, repo)
from retrieval.embedders import create_embedder
print(create_embedder({"type": "e5-onnx-int8", "model_dir": model_dir}).embed_queries(["退货运费谁出？"]).shape)
"""


def test_runtime_modules_work_on_python310(e5_model_dir: Path) -> None:
    python = _python310()
    if python is None:
        pytest.skip("no Python 3.10 interpreter found")
    result = subprocess.run([python, "-c", _PY310, str(REPO), str(e5_model_dir)], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() in ("parsed", "(1, 384)")
