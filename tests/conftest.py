"""Fixtures shared across test packages.

`running_stack`: one real stack (Rasa + action server + gateway) shared by every full-stack test
of a session (tests/stack/ and tests/eval/); moved here from tests/stack/conftest.py so both
packages use the same instance instead of starting two stacks.

`no_internal_data_reaches_customers` (autouse): every customer-facing reply in the whole suite is
checked for internal payloads (tests/customer_replies.py). At the end of the run, every log the
run wrote is scanned for unmasked personal data (tests/log_scan.py)."""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.stack_process import RunningStack, start_stack
from tests.customer_replies import customer_replies_checked
from tests.log_scan import MAX_REPORTED, unmasked_personal_data


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run if any log written during it holds unmasked personal data (tests/log_scan.py)."""
    factory = getattr(session.config, "_tmp_path_factory", None)
    roots = [Path(__file__).resolve().parent.parent / "var" / "logs"]
    if factory is not None:
        roots.append(factory.getbasetemp())
    problems = unmasked_personal_data(roots)
    if problems:
        shown = "\n".join(problems[:MAX_REPORTED])
        session.config.get_terminal_writer().line(
            f"\nUNMASKED PERSONAL DATA IN {len(problems)} LOG LINES (rasa_plugins/text/log_masking.py):\n{shown}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session", autouse=True)
def no_internal_data_reaches_customers() -> Iterator[None]:
    """Every customer-facing reply any test receives is checked (tests/customer_replies.py)."""
    with customer_replies_checked():
        yield


@pytest.fixture(scope="session")
def running_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    if not os.environ.get("KEFU_RASA_PYTHON"):
        pytest.fail("KEFU_RASA_PYTHON is not set: run the tests with `./kefu test` (or `make test`)")
    stack = start_stack(Path(tmp_path_factory.mktemp("stack")))
    yield stack
    stack.stop()
