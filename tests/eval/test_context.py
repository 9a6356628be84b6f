"""What the suites share: a stack that fails to start is reported by its reason, once."""
from __future__ import annotations

from pathlib import Path

import pytest

from eval.suites.context import EvalContext, reason_of


def test_a_failed_stack_start_is_reduced_to_its_reason() -> None:
    output = "kefu up did not become ready:\n[kefu] training\nTraceback ...\nkefu: rasa train failed (exit 1); its last lines:\n  File x"
    assert reason_of(output) == "kefu: rasa train failed (exit 1); its last lines:"
    assert reason_of("kefu up did not become ready:\n[rasa] boom\n") == "[rasa] boom"


def test_half_a_stack_address_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="give both --gateway URL and --rasa URL"):
        EvalContext(tmp_path, options={"gateway": "http://127.0.0.1:1"}).live()
