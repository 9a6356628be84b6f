"""Offline model builds (the multilingual-e5-small int8 ONNX embedder) and their checks."""
