"""Personal data never reaches a log file: every log record is masked where it is made.

`install()` wraps the logging module's record factory, so each record of every logger in the
process (the gateway's, uvicorn's access log with its `token=` query strings, rasa-sdk's, Rasa's)
has its message and arguments masked by `rasa_plugins.text.pii.mask_pii` before any handler sees it.
Each service process calls it at start: the gateway app, the action package, Kefu's Rasa runner.
"""
from __future__ import annotations

import logging
from typing import Any

from rasa_plugins.text.pii import mask_pii

_INSTALLED = "_kefu_masking"


def _masked(value: Any) -> Any:
    if isinstance(value, str):
        return mask_pii(value)
    if isinstance(value, (int, float, bool)) or value is None:
        return value
    text = str(value)  # an object formatted with %s: what it prints is what gets masked
    masked = mask_pii(text)
    return masked if masked != text else value


def install() -> None:
    """Mask every log record from now on (idempotent)."""
    current = logging.getLogRecordFactory()
    if getattr(current, _INSTALLED, False):
        return

    def masked_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = current(*args, **kwargs)
        # the arguments are masked one by one, not merged into the message: some formatters
        # (uvicorn's access log) read them as a tuple
        if isinstance(record.msg, str):
            record.msg = mask_pii(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_masked(value) for value in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: _masked(value) for key, value in record.args.items()}
        return record

    setattr(masked_record, _INSTALLED, True)
    logging.setLogRecordFactory(masked_record)
