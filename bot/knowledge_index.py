"""`kefu index`: build the knowledge index from `paths.knowledge` into `paths.index`.

The retrieval library does the work and skips unchanged documents, so calling this on every
`kefu up` costs a hash check when nothing changed.
"""
from __future__ import annotations

from bot.config import KefuConfig


def build_knowledge_index(config: KefuConfig, show_progress: bool = True) -> str:
    knowledge = config.path(config.paths.knowledge)
    if not knowledge.is_dir() or not any(knowledge.iterdir()):
        return f"no knowledge files in {knowledge}; nothing to index"
    from retrieval.indexing import build_index

    report = build_index(knowledge, config.path(config.paths.index), show_progress=show_progress)
    return str(report)
