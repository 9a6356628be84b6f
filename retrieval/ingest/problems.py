"""How ingestion reports a bad file or item without stopping the rest of the load."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


class IngestError(ValueError):
    """A file or item that cannot be loaded; carries the line (1-based) when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


@dataclass
class LoadProblem:
    path: str
    line: int | None
    message: str
    severity: str  # "error" (nothing loaded from there) or "warning" (chunk quarantined)

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{self.severity}: {where}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
