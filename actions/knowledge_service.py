"""The action server's one `KnowledgeService`: warmed up in the background at start, reloaded
when `kefu index` rewrites the index, so knowledge changes need no restart.

Serving never writes the index (`kefu up` runs `kefu index` before starting this server); without
one the warm-up fails with a clear log line and knowledge answers fall back to offering a person
until the index exists."""
from __future__ import annotations

import logging
import threading
from pathlib import Path

from bot.config import load_config
from bot.knowledge_index import retrieval_settings
from retrieval.service import KnowledgeService

logger = logging.getLogger(__name__)

_service: KnowledgeService | None = None
_manifest_mtime: float | None = None
_lock = threading.Lock()


def _manifest(service: KnowledgeService) -> Path:
    return Path(service.config.index_dir) / "manifest.json"


def _mtime(path: Path) -> float | None:
    try:
        return path.stat().st_mtime
    except OSError:
        return None


def _warm_up(service: KnowledgeService) -> None:
    global _manifest_mtime
    try:
        service.warm_up()
        _manifest_mtime = _mtime(_manifest(service))
        logger.info("knowledge service ready (index %s)", service.config.index_dir)
    except Exception:  # noqa: BLE001 - answers degrade to a fallback; the cause must be in the log
        logger.exception("knowledge service could not warm up; answers fall back to offering a person")


def shared_service() -> KnowledgeService:
    """The process-wide service; the first call starts its warm-up in a background thread."""
    global _service
    with _lock:
        if _service is None:
            _service = KnowledgeService(retrieval_settings(load_config()))
            threading.Thread(target=_warm_up, args=(_service,), name="kefu-knowledge-warm-up", daemon=True).start()
        elif _manifest_mtime is not None and _mtime(_manifest(_service)) not in (None, _manifest_mtime):
            logger.info("knowledge index changed on disk; reloading")
            threading.Thread(target=_warm_up_after_reload, args=(_service,), daemon=True).start()
        return _service


def _warm_up_after_reload(service: KnowledgeService) -> None:
    global _manifest_mtime
    _manifest_mtime = _mtime(_manifest(service))
    try:
        service.reload()
    except Exception:  # noqa: BLE001
        logger.exception("reloading the knowledge index failed; the previous index keeps serving")


shared_service()
