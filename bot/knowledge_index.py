"""The knowledge base as the stack sees it: one retrieval configuration, and `kefu index`.

`kefu.yml` holds the retrieval settings (`retrieval:`) and the folders (`paths.knowledge`,
`paths.index`); `kefu index`, `kefu up` and the action server all build their retrieval
configuration here, so they always agree on where the index is and how it was built. Only
`kefu index` writes the index; the action server loads it.
"""
from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from bot.config import KefuConfig

if TYPE_CHECKING:
    from retrieval.config import RetrievalConfig


def retrieval_settings(config: KefuConfig) -> "RetrievalConfig":
    """`config.retrieval` (already typed and validated) with the two folders of `paths`."""
    return dataclasses.replace(config.retrieval,
                               knowledge_dir=str(config.path(config.paths.knowledge).resolve()),
                               index_dir=str(config.path(config.paths.index).resolve()))


def build_knowledge_index(config: KefuConfig, show_progress: bool = True, force: bool = False) -> str:
    """Index changed documents only; an unchanged knowledge base is a sub-second check."""
    knowledge = config.path(config.paths.knowledge)
    if not knowledge.is_dir() or not any(knowledge.iterdir()):
        return f"no knowledge files in {knowledge}; nothing to index"
    from retrieval.indexing import build_index

    settings = retrieval_settings(config)
    report = build_index(settings.knowledge_dir, settings.index_dir, settings, show_progress=show_progress, force=force)
    return str(report)
