"""Per-sender rate limit over a sliding minute, in memory (one gateway process owns its customers)."""
from __future__ import annotations

import time
from collections import deque


class RateLimiter:
    def __init__(self, per_minute: int, window_s: float = 60.0) -> None:
        self.per_minute = per_minute
        self.window_s = window_s
        self._hits: dict[str, deque[float]] = {}

    def allow(self, sender: str) -> bool:
        now = time.monotonic()
        hits = self._hits.setdefault(sender, deque())
        while hits and now - hits[0] > self.window_s:
            hits.popleft()
        if len(hits) >= self.per_minute:
            return False
        hits.append(now)
        if len(self._hits) > 10_000:  # forget idle senders so memory stays bounded
            for key in [k for k, v in self._hits.items() if not v or now - v[-1] > self.window_s]:
                del self._hits[key]
        return True
