"""`python -m bot.rasa_runtime <rasa args>`: the `rasa` command with Kefu's fast model loading.

Used by `kefu up` to start the Rasa server; everything after the module name is passed to Rasa's
own command line unchanged (e.g. ``run --enable-api --model m.tar.gz``).
"""
from __future__ import annotations

import sys

from bot.rasa_runtime.fast_load import install


def main() -> None:
    install()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *sys.argv[1:]]
    rasa_main()


if __name__ == "__main__":
    main()
