"""`python -m rasa_plugins.runtime <rasa args>`: the `rasa` command with Kefu's fast model loading and
its once-compiled check of action-server replies (fast_load.py, action_response_check.py).

Used by `kefu up` to start the Rasa server; everything after the module name is passed to Rasa's
own command line unchanged (e.g. ``run --enable-api --model m.tar.gz``).
"""
from __future__ import annotations

import sys

from rasa_plugins.runtime import action_response_check, fast_load
from rasa_plugins.text import log_masking


def main() -> None:
    log_masking.install()  # personal data never reaches Rasa's log
    fast_load.install()
    action_response_check.install()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *sys.argv[1:]]
    rasa_main()


if __name__ == "__main__":
    main()
