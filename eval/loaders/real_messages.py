"""Real customers' messages for the never-silent replay (`kefu eval replay`): CIC test_public's
sentences and JDDC's customer turns (../shared/datasets), interleaved so that any prefix of the list
mixes both, in a fixed order."""
from __future__ import annotations

import json
import re
from itertools import zip_longest

from bot.environments import datasets_dir
from eval.loaders import LoaderError

JDDC_PLACEHOLDER = re.compile(r"\[[^\]]*x\]")  # JDDC's masked values: [ORDERID_10x], [数字x]…


def cic_sentences() -> list[str]:
    path = datasets_dir() / "cic" / "test_public.json"
    if not path.is_file():
        raise LoaderError(f"{path} is missing (../shared/datasets/cic)")
    return [json.loads(line)["sentence"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def jddc_customer_turns(limit: int) -> list[str]:
    """The first `limit` distinct customer messages of JDDC, with its placeholders kept as typed."""
    path = datasets_dir() / "jddc" / "chat_0.1per.txt"
    if not path.is_file():
        raise LoaderError(f"{path} is missing (../shared/datasets/jddc)")
    seen: dict[str, None] = {}
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 7 and parts[2] == "0" and parts[6].strip():
                seen.setdefault(parts[6].strip(), None)
                if len(seen) >= limit:
                    break
    return list(seen)


def real_messages(count: int) -> list[str]:
    cic = cic_sentences()
    jddc = jddc_customer_turns(count)
    mixed = [m for pair in zip_longest(cic, jddc) for m in pair if m]
    if len(mixed) < count:
        raise LoaderError(f"only {len(mixed)} real messages are available, {count} were asked for")
    return mixed[:count]
