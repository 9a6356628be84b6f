"""`kefu eval jddc_routes`: 300 real customers' first messages (JDDC) played as new customers; what the
bot did (eval/suites/blind.py's observed_route) against the route two blind annotators gave
(eval/loaders/jddc_routes.py). Reported on the messages both annotators agree on (the figure), and
against each annotator. JDDC is another shop: a rule question about that shop is answered or
honestly declined; either is a reply the customer can use, but only an answer counts as `answer`.

JDDC's placeholders ("咨询订单号:[订单x]") are played as the values they stand for
(eval/loaders/jddc_routes.render_placeholders): an order number, an amount, a date.

Each message is also played as its traditional-character twin (OpenCC s2t, full-width digits and
letters), from another new customer: `traditional/routed_as_labelled` next to the simplified figure
shows what a customer typing traditional characters gets (issue 26: within 3 points).
"""
from __future__ import annotations

import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

from eval.loaders.jddc_routes import LABELS, load_jddc_routes, render_placeholders
from eval.suites.blind import BlindPlayer, observed_route
from eval.suites.context import EvalContext, named_for_its_set, progress
from eval.suites.live import bot_text

ACCEPTED = {"answer": {"answer"}, "task": {"task"}, "handoff": {"handoff"},
            "out_of_scope": {"out_of_scope", "abstain", "smalltalk", "other"}}


FULL_WIDTH = {code: code + 0xFEE0 for code in range(0x21, 0x7F) if chr(code).isalnum()}


def traditional_twin(text: str) -> str:
    """How the same customer would type it on a traditional-character phone keyboard."""
    import opencc

    return opencc.OpenCC("s2t").convert(text).translate(FULL_WIDTH)


def play_all(player: BlindPlayer, messages: list[Any], run_id: str, label: str, twin: bool) -> list[dict[str, Any]]:
    rows = []
    for number, message in enumerate(messages, 1):
        text = render_placeholders(message.text)
        text = traditional_twin(text) if twin else text
        try:
            response, actions = player.turn(f"eval-jddc-{run_id}-{label}-{message.id}", text)
            route = observed_route(response, actions)
        except httpx.HTTPError as failure:
            response, actions, route = {"messages": [], "error": str(failure).splitlines()[0]}, [], "error"
        rows.append({"id": message.id, "text": text, "route_a": message.route_a, "route_b": message.route_b,
                     "observed": route, "actions": actions, "bot": bot_text(response)})
        if number % 100 == 0:
            progress(f"jddc_routes ({label}): {number}/{len(messages)}")
    return rows


def rate(items: list[dict[str, Any]], key: str) -> float:
    return round(sum(r["observed"] in ACCEPTED[r[key]] for r in items) / len(items), 4) if items else float("nan")


def run(ctx: EvalContext) -> dict[str, Any]:
    labels = ctx.option("jddc_labels", LABELS)
    messages = load_jddc_routes(labels)
    live, run_id = ctx.live(), uuid.uuid4().hex[:8]
    player = BlindPlayer(live, run_id)
    progress(f"jddc_routes: {len(messages)} labelled first messages, and their traditional-character twins")
    rows = play_all(player, messages, run_id, "simplified", twin=False)
    twins = play_all(player, messages, run_id, "traditional", twin=True)
    agreed = [r for r in rows if r["route_a"] == r["route_b"]]
    agreed_twins = [r for r in twins if r["route_a"] == r["route_b"]]
    metrics = {"routed_as_labelled": rate(agreed, "route_a"), "vs_annotator_a": rate(rows, "route_a"),
               "vs_annotator_b": rate(rows, "route_b"), "agreed_messages": float(len(agreed)),
               "traditional/routed_as_labelled": rate(agreed_twins, "route_a"),
               "traditional/same_route_as_twin": round(sum(a["observed"] == b["observed"] for a, b in zip(rows, twins))
                                                        / len(rows), 4)}
    for route in ACCEPTED:
        metrics[f"routed_as_labelled/{route}"] = rate([r for r in agreed if r["route_a"] == route], "route_a")
    metrics = named_for_its_set(metrics, Path(labels), LABELS, Path(labels).stem)
    confusion = Counter((r["route_a"], r["observed"]) for r in agreed)
    return {"status": "ok", "metrics": metrics, "labels": str(labels),
            "confusion": [{"expected": e, "observed": o, "messages": n} for (e, o), n in sorted(confusion.items())],
            "failures": [r for r in agreed if r["observed"] not in ACCEPTED[r["route_a"]]]}
