"""Kefu's once-compiled check of action-server replies accepts and rejects exactly what Rasa's does."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from bot.environments import CODE_ROOT, rasa_python

SCRIPT = Path(__file__).with_name("response_check_script.py")


def outcomes(mode: str) -> dict:
    result = subprocess.run([str(rasa_python()), str(SCRIPT), mode], cwd=CODE_ROOT, capture_output=True,
                            text=True, timeout=600, env={**os.environ, "PYTHONPATH": str(CODE_ROOT)})
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_same_verdicts_and_messages_as_rasas_own_check() -> None:
    stock, kefu = outcomes("stock"), outcomes("kefu")
    assert kefu == stock
    assert kefu["slots and a response"]["accepted"] and kefu["form events"]["accepted"] and kefu["empty"]["accepted"]
    for bad in ("unknown event", "events not a list", "response not an object"):
        assert not kefu[bad]["accepted"]
        assert "Failed to validate Action server response" in kefu[bad]["message"]
