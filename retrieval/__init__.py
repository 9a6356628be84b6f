"""Kefu retrieval library: ingest a knowledge base, retrieve (BM25 + dense), generate, gate."""
