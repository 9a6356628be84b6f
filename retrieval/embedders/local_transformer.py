"""Any local sentence-transformers-format model directory as an embedder (torch + transformers).

The directory is loaded offline (``local_files_only=True``) with ``AutoTokenizer``/``AutoModel``.
Its ``modules.json`` (if any) says where the transformer lives, ``1_Pooling/config.json`` picks mean
or CLS pooling (mean by default), and ``config_sentence_transformers.json`` may name ``query`` and
``passage``/``document`` prompts; explicit prefixes override them. Output is always L2-normalised.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from retrieval.embedders.base import l2_normalize


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


class LocalTransformerEmbedder:
    """Embeddings from a local sentence-transformers (or plain transformers) model directory."""

    def __init__(self, path: str, max_length: int = 256, batch_size: int = 32,
                 query_prefix: str | None = None, passage_prefix: str | None = None,
                 num_threads: int | None = None) -> None:
        self.path = path
        self.max_length = max_length
        self.batch_size = batch_size
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix
        self.num_threads = num_threads
        self.name = f"sentence-transformers-dir:{Path(path).resolve()}"
        self._model: Any = None
        self._tokenizer: Any = None
        self._pooling = "mean"
        self._prefixes = {"query": query_prefix or "", "passage": passage_prefix or ""}
        self._dim: int | None = None

    def _root(self) -> Path:
        root = Path(self.path)
        if not root.is_dir():
            raise FileNotFoundError(f"sentence-transformers model directory not found: {root}")
        return root

    def _transformer_dir(self) -> Path:
        root = self._root()
        for module in _read_json(root / "modules.json") or []:
            if str(module.get("type", "")).endswith("Transformer"):
                root = root / module.get("path", "")
                break
        if not (root / "config.json").is_file():
            raise FileNotFoundError(f"{root} has no config.json: not a transformers model directory")
        return root

    @property
    def dim(self) -> int:
        if self._dim is None:
            pooling = _read_json(self._root() / "1_Pooling" / "config.json") or {}
            config = _read_json(self._transformer_dir() / "config.json")
            self._dim = int(pooling.get("word_embedding_dimension") or config["hidden_size"])
        return self._dim

    def warm_up(self) -> None:
        if self._model is not None:
            return
        import torch
        from transformers import AutoModel, AutoTokenizer

        root, model_dir = self._root(), self._transformer_dir()
        pooling = _read_json(root / "1_Pooling" / "config.json") or {}
        if pooling.get("pooling_mode_cls_token"):
            self._pooling = "cls"
        elif pooling and not pooling.get("pooling_mode_mean_tokens", True):
            raise ValueError(f"{root}: only mean or CLS pooling is supported")
        prompts = (_read_json(root / "config_sentence_transformers.json") or {}).get("prompts") or {}
        self._prefixes = {
            "query": self.query_prefix if self.query_prefix is not None else prompts.get("query", ""),
            "passage": self.passage_prefix if self.passage_prefix is not None
            else prompts.get("passage", prompts.get("document", "")),
        }
        if self.num_threads:
            torch.set_num_threads(self.num_threads)
        self._tokenizer = AutoTokenizer.from_pretrained(model_dir, local_files_only=True)
        self._model = AutoModel.from_pretrained(model_dir, local_files_only=True).eval()
        self._dim = int(self._model.config.hidden_size)

    def _embed(self, texts: list[str], kind: str) -> np.ndarray:
        self.warm_up()
        import torch

        texts = [self._prefixes[kind] + text for text in texts]
        parts = [np.zeros((0, self.dim), dtype=np.float32)]
        for start in range(0, len(texts), self.batch_size):
            batch = self._tokenizer(texts[start:start + self.batch_size], padding=True, truncation=True,
                                    max_length=self.max_length, return_tensors="pt")
            with torch.no_grad():
                hidden = self._model(**batch).last_hidden_state
            if self._pooling == "cls":
                pooled = hidden[:, 0]
            else:
                mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
            parts.append(pooled.float().numpy())
        return l2_normalize(np.concatenate(parts))

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._embed(list(texts), "query")

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._embed(list(texts), "passage")

    def to_dict(self) -> dict[str, Any]:
        return {"type": "sentence-transformers-dir", "path": self.path, "max_length": self.max_length,
                "batch_size": self.batch_size, "query_prefix": self.query_prefix,
                "passage_prefix": self.passage_prefix, "num_threads": self.num_threads}
