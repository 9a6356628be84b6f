"""`kefu eval replay`: never silent, measured. Real customers' messages (eval/loaders/real_messages.py;
2,000 by default, `--quick` 300) go through the running stack's gateway, each from a new customer.
Counted: replies with nothing the customer can see, requests that fail, and replies that show
internals (a stack trace or an exception's name). The target of each is 0.
"""
from __future__ import annotations

import re
import uuid
from typing import Any

import httpx

from eval.loaders.real_messages import real_messages
from eval.suites.context import EvalContext, progress
from eval.suites.live import bot_text

FULL, QUICK = 2000, 300
INTERNALS = re.compile(r"Traceback|Exception|Error:|File \"/|\bNone\b|\{'|\"event\":")


def run(ctx: EvalContext) -> dict[str, Any]:
    count = int(ctx.option("replay_count", QUICK if ctx.quick else FULL))
    messages = real_messages(count)
    live, run_id = ctx.live(), uuid.uuid4().hex[:8]
    progress(f"replay: {len(messages)} real messages, each from a new customer")
    empty, errors, internals, modes = [], [], [], {"bot": 0, "queued": 0, "other": 0}
    for number, text in enumerate(messages, 1):
        try:
            response = live.chat("replay", f"eval-replay-{run_id}-{number}", text)
        except httpx.HTTPError as failure:
            errors.append({"message": text, "error": f"{type(failure).__name__}: {failure}".splitlines()[0]})
            continue
        reply = bot_text(response)
        if not reply.strip():
            empty.append({"message": text, "response": response})
        if INTERNALS.search(reply):
            internals.append({"message": text, "reply": reply})
        mode = str(response.get("mode") or "other")
        modes[mode if mode in modes else "other"] += 1
        if number % 250 == 0:
            progress(f"replay: {number}/{len(messages)} (empty {len(empty)}, errors {len(errors)})")
    metrics = {"messages": float(len(messages)), "empty_replies": float(len(empty)), "errors": float(len(errors)),
               "internals_shown": float(len(internals)), "handed_off": round(modes["queued"] / len(messages), 4)}
    return {"status": "ok", "metrics": metrics, "failures": empty + errors + internals}
