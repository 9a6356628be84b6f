"""multilingual-e5-small as an int8 ONNX model: the default embedder.

The model directory is produced by ``python -m models.e5_build`` (or ``kefu setup``): it holds
``model.onnx`` (inputs ``input_ids``/``attention_mask``, output ``last_hidden_state``),
``tokenizer.json`` (XLM-R) and ``manifest.json``. This module imports only numpy, onnxruntime
and tokenizers so that the Rasa NLU featurizer (Python 3.10) can reuse it.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer

from retrieval.embedders.base import l2_normalize

MODEL_DIRNAME = "e5-small-onnx-int8"
MODEL_FILE, TOKENIZER_FILE, MANIFEST_FILE = "model.onnx", "tokenizer.json", "manifest.json"
QUERY_PREFIX, PASSAGE_PREFIX = "query: ", "passage: "
MODEL_MAX_LENGTH = 512


def default_model_dir(cache_root: str | Path | None = None) -> Path:
    """``${KEFU_CACHE:-~/.cache/kefu}/models/e5-small-onnx-int8`` (or under ``cache_root``)."""
    root = Path(cache_root) if cache_root else Path(os.environ.get("KEFU_CACHE") or Path.home() / ".cache" / "kefu")
    return root / "models" / MODEL_DIRNAME


class E5OnnxEmbedder:
    """Query/passage embeddings (384-dim, L2-normalised) from the int8 ONNX e5 build.

    Texts get the e5 ``query: ``/``passage: `` prefixes, are truncated to ``max_length`` tokens,
    run in batches of ``batch_size`` (grouped by length to limit padding), and are mean-pooled
    over the attention mask.
    """

    name = "multilingual-e5-small/onnx-int8"
    dim = 384

    def __init__(self, model_dir: str | None = None, max_length: int = 256, batch_size: int = 32,
                 intra_op_threads: int = 2) -> None:
        if not 8 <= max_length <= MODEL_MAX_LENGTH:
            raise ValueError(f"max_length must be within 8..{MODEL_MAX_LENGTH}, got {max_length}")
        if batch_size < 1 or intra_op_threads < 1:
            raise ValueError("batch_size and intra_op_threads must be >= 1")
        self.model_dir = model_dir
        self.max_length = max_length
        self.batch_size = batch_size
        self.intra_op_threads = intra_op_threads
        self._session: ort.InferenceSession | None = None
        self._tokenizer: Tokenizer | None = None
        self._input_names: list[str] = []
        self._pad_id = 1
        self._lock = threading.Lock()

    def resolved_model_dir(self) -> Path:
        return Path(self.model_dir) if self.model_dir else default_model_dir()

    def warm_up(self) -> None:
        with self._lock:
            if self._session is None:
                self._load()

    def _load(self) -> None:
        folder = self.resolved_model_dir()
        missing = [f for f in (MODEL_FILE, TOKENIZER_FILE) if not (folder / f).is_file()]
        if missing:
            raise FileNotFoundError(
                f"e5 ONNX model not found in {folder} (missing {', '.join(missing)}); build it with "
                f"`python -m models.e5_build` (or `kefu setup`)"
            )
        manifest_path = folder / MANIFEST_FILE
        if manifest_path.is_file():
            self.dim = int(json.loads(manifest_path.read_text(encoding="utf-8")).get("dim", self.dim))
        options = ort.SessionOptions()
        options.intra_op_num_threads = self.intra_op_threads
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # No spin-waiting: the stack shares a few cores with Rasa and the gateway, and spinning
        # threads doubled single-query latency on a busy 2-core machine.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        session = ort.InferenceSession(str(folder / MODEL_FILE), options, providers=["CPUExecutionProvider"])
        tokenizer = Tokenizer.from_file(str(folder / TOKENIZER_FILE))
        tokenizer.no_padding()
        tokenizer.enable_truncation(max_length=self.max_length)
        pad_id = tokenizer.token_to_id("<pad>")
        self._pad_id = 1 if pad_id is None else pad_id
        self._input_names = [i.name for i in session.get_inputs()]
        self._tokenizer, self._session = tokenizer, session

    def _embed(self, texts: list[str], prefix: str) -> np.ndarray:
        self.warm_up()
        assert self._tokenizer is not None
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        token_ids = [e.ids for e in self._tokenizer.encode_batch([prefix + text for text in texts])]
        order = np.argsort([len(ids) for ids in token_ids], kind="stable")
        for start in range(0, len(texts), self.batch_size):
            rows = order[start:start + self.batch_size]
            out[rows] = self._mean_pooled([token_ids[i] for i in rows])
        return l2_normalize(out)

    def _hidden_states(self, token_ids: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
        """The model's last hidden states for a right-padded batch, and the batch's 0/1 mask (float32)."""
        assert self._session is not None
        width = max(len(ids) for ids in token_ids)
        ids = np.full((len(token_ids), width), self._pad_id, dtype=np.int64)
        mask = np.zeros((len(token_ids), width), dtype=np.int64)
        for row, row_ids in enumerate(token_ids):
            ids[row, :len(row_ids)] = row_ids
            mask[row, :len(row_ids)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = self._session.run(None, {name: feeds[name] for name in self._input_names})[0]
        return hidden.astype(np.float32, copy=False), mask.astype(np.float32)

    def _mean_pooled(self, token_ids: list[list[int]]) -> np.ndarray:
        hidden, mask = self._hidden_states(token_ids)
        weights = mask[..., None]
        return (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1.0)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._embed(list(texts), QUERY_PREFIX)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._embed(list(texts), PASSAGE_PREFIX)

    def to_dict(self) -> dict[str, Any]:
        return {"type": "e5-onnx-int8", "model_dir": self.model_dir, "max_length": self.max_length,
                "batch_size": self.batch_size, "intra_op_threads": self.intra_op_threads}
