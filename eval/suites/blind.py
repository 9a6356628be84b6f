"""`kefu eval blind`: the frozen blind sets (eval/loaders/blind.py) played as customers through the
gateway. Not part of `kefu eval all`: name it (`kefu eval blind`, `--blind eval/data/blind_dev`).

Each turn is judged on what the customer sees and what the bot did:
- a customer-visible reply (silence fails);
- the route: what the bot did, read from the gateway's mode, the citations and the actions Rasa ran
  for the turn (`observed_route`), must be one the expected route accepts (`ACCEPTED`);
- `contains_any` / `not_contains` on the reply text, and the hand-off state where the turn gives it.
A conversation passes when every turn passes. A near-miss question is asked by a new customer and
passes when the bot does not answer it with a cited item (it abstains, asks, declines or hands off).

The judge (ACCEPTED, observed_route) was written before the sets were first played; change it only
for a reason that holds for every customer, never to move a figure, and say so in docs/evaluation.md.
"""
from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import httpx

from eval.loaders.blind import BLIND_TEST, BlindConversation, BlindTurn, load_blind_set
from eval.suites.context import EvalContext, named_for_its_set, progress
from eval.suites.live import LiveStack, bot_text, cited_docs, handed_off, last_turn

TASK_ACTIONS = {"action_show_order"}
TASK_PREFIXES = ("action_ask_", "validate_", "action_submit_")
ANSWER_ACTIONS = {"action_answer_topic", "action_product_info"}
ANSWER_RESPONSES = {"utter_logistics_delay", "utter_logistics_lost", "utter_logistics_damaged", "utter_delivery_failed",
                    "utter_return_shipping_fee", "utter_invoice", "utter_promotion_coupon",
                    "utter_payment_failure", "utter_account_security", "utter_suggestion"}
SMALLTALK_RESPONSES = {"utter_greet", "utter_goodbye", "utter_thanks", "utter_chitchat", "utter_anything_else"}
ACCEPTED = {
    "answer": {"answer"},
    "task": {"task"},
    "handoff": {"handoff"},
    "clarify": {"abstain", "out_of_scope"},  # the demo bot cannot ask "A or B?" yet: declining is the safe second best
    "out_of_scope": {"out_of_scope", "abstain", "smalltalk"},
    "smalltalk": {"smalltalk", "other"},
    "refuse": {"task", "abstain", "out_of_scope", "smalltalk", "handoff", "other"},  # what counts is what leaks
}
NEAR_MISS_PASS = {"abstain", "out_of_scope", "handoff", "task", "smalltalk", "other"}
SUPERVISOR = ("super1", "kefu-super1")  # the demo supervisor (docs/handoff.md), seeded in eval stacks


def observed_route(response: dict[str, Any], actions: list[str]) -> str:
    """What the bot did with a turn: handoff, task, answer, abstain, out_of_scope, smalltalk, silent or other."""
    if handed_off(response):
        return "handoff"
    if any(a in TASK_ACTIONS or a.startswith(TASK_PREFIXES) or a.endswith("_form") for a in actions):
        return "task"
    if cited_docs(response) or any(a in ANSWER_ACTIONS or a in ANSWER_RESPONSES for a in actions):
        return "answer"
    if "action_answer_from_knowledge" in actions or "utter_offer_human" in actions:
        return "abstain"
    if "utter_out_of_scope" in actions:
        return "out_of_scope"
    if any(a in SMALLTALK_RESPONSES for a in actions):
        return "smalltalk"
    return "other" if bot_text(response).strip() else "silent"


def judge_turn(turn: BlindTurn, response: dict[str, Any], actions: list[str]) -> dict[str, Any]:
    text, route = bot_text(response), observed_route(response, actions)
    problems = []
    if not text.strip():
        problems.append("no customer-visible reply")
    if route not in ACCEPTED[turn.route]:
        problems.append(f"route {route}, expected {turn.route}")
    if turn.contains_any and not any(item in text for item in turn.contains_any):
        problems.append(f"none of {list(turn.contains_any)} in the reply")
    leaked = [item for item in turn.not_contains if item in text]
    if leaked:
        problems.append(f"the reply contains {leaked}")
    if turn.handoff is not None and handed_off(response) != turn.handoff:
        problems.append(f"handoff {handed_off(response)}, expected {turn.handoff}")
    resumed = route == "task" and turn.route == "answer" and answered_then_resumed(response, actions)
    return {"user": turn.user, "bot": text, "expected_route": turn.route, "observed_route": route,
            "actions": actions, "mode": response.get("mode"), "passed": not problems, "problems": problems,
            "failed_only_as_a_form_resume": resumed and problems == [f"route {route}, expected {turn.route}"]}


def answered_then_resumed(response: dict[str, Any], actions: list[str]) -> bool:
    """A question asked inside a running form: the bot answered it, then the form asked its question
    again. The judge calls that turn `task` (a form ran); the customer got the answer. Reported
    beside the figure (`passed_if_form_resumes_count`), never in it."""
    answered = any(a in ANSWER_ACTIONS or a in ANSWER_RESPONSES for a in actions) or (
        "action_answer_from_knowledge" in actions and bool(cited_docs(response)))
    return answered and "action_triage_request" not in actions and any(a.endswith("_form") for a in actions)


class BlindPlayer:
    """Plays conversations through one live stack; demo accounts get a clean slate before each."""

    def __init__(self, live: LiveStack, run_id: str) -> None:
        self.live, self.run_id, self.count = live, run_id, 0
        self._console: httpx.Client | None = None

    def sender_for(self, conversation: BlindConversation) -> str:
        self.count += 1
        if conversation.sender is None:
            return f"eval-blind-{self.run_id}-{self.count}"
        self.live.identify(conversation.sender)
        self._release(conversation.sender)
        self.live.reset(conversation.sender)
        return conversation.sender

    def turn(self, sender: str, text: str) -> tuple[dict[str, Any], list[str]]:
        """The gateway's reply and, when the message reached the bot, the actions Rasa ran for it."""
        with_the_bot = self.live.modes.get(sender, "bot") == "bot"
        response = self.live.chat("blind", sender, text)
        return response, last_turn(self.live.tracker(self.live.bot_sender(sender)))[1] if with_the_bot else []

    def _release(self, sender: str) -> None:
        """An identified customer's earlier conversation may still be with a person (from this run,
        or from an earlier run against the same stack): a supervisor claims and resolves it, as a
        service centre would, so the next one starts with the bot."""
        console = self._login()
        gateway = f"{self.live.gateway}/api/console"
        queued = [q["conversation"] for q in console.get(f"{gateway}/queue").json()["queue"] if q.get("account") == sender]
        served = [c["conversation"] for c in console.get(f"{gateway}/conversations", params={"scope": "live"}).json()
                  ["conversations"] if c.get("account") == sender and c["mode"] == "human"]
        for conversation in queued:
            console.post(f"{gateway}/conversations/{conversation}/claim").raise_for_status()
        for conversation in queued + served:
            console.post(f"{gateway}/conversations/{conversation}/resolve").raise_for_status()
        self.live.modes[sender] = "bot"

    def _login(self) -> httpx.Client:
        """The supervisor's console session, by bearer token (a script, not a browser: no CSRF cookie)."""
        if self._console is None:
            self._console = httpx.Client(timeout=self.live.timeout_s)
            login = self._console.post(f"{self.live.gateway}/api/console/login",
                                       json={"username": SUPERVISOR[0], "password": SUPERVISOR[1]})
            login.raise_for_status()
            self._console.cookies.clear()
            self._console.headers["Authorization"] = f"Bearer {login.json()['token']}"
        return self._console


def play(player: BlindPlayer, conversation: BlindConversation) -> dict[str, Any]:
    turns: list[dict[str, Any]] = []
    error = None
    try:
        sender = player.sender_for(conversation)
        for turn in conversation.turns:
            response, actions = player.turn(sender, turn.user)
            turns.append(judge_turn(turn, response, actions))
    except httpx.HTTPError as failure:  # a refused or failed request fails this conversation, not the run
        error = f"{type(failure).__name__}: {failure}".splitlines()[0]
        turns.append({"user": conversation.turns[len(turns)].user, "bot": "", "expected_route":
                      conversation.turns[len(turns)].route, "observed_route": "error", "actions": [], "mode": None,
                      "passed": False, "problems": [error]})
    return {"id": conversation.id, "category": conversation.category, "writer": conversation.writer,
            "sender": conversation.sender, "passed": error is None and all(t["passed"] for t in turns),
            "turns": turns, "error": error}


def summarise(results: list[dict[str, Any]], near: list[dict[str, Any]]) -> dict[str, float]:
    by_category: dict[str, list[bool]] = defaultdict(list)
    for result in results:
        by_category[result["category"]].append(result["passed"])
    turns = [t for r in results for t in r["turns"]]
    metrics = {"conversations_passed": _rate([r["passed"] for r in results]),
               "turns_passed": _rate([t["passed"] for t in turns]),
               "silent_turns": float(sum(not t["bot"].strip() for t in turns if t["observed_route"] != "error")),
               "errors": float(sum(bool(r.get("error")) for r in results)),
               "route_correct": _rate([t["observed_route"] in ACCEPTED[t["expected_route"]] for t in turns])}
    metrics.update({f"passed/{name}": _rate(values) for name, values in sorted(by_category.items())})
    metrics["passed_if_form_resumes_count"] = _rate([all(t["passed"] or t.get("failed_only_as_a_form_resume")
                                                         for t in r["turns"]) and not r.get("error") for r in results])
    if near:
        metrics["near_miss_not_answered"] = _rate([n["passed"] for n in near])
    return metrics


def _rate(values: list[bool]) -> float:
    return round(sum(values) / len(values), 4) if values else float("nan")


def run(ctx: EvalContext) -> dict[str, Any]:
    folder = Path(ctx.option("blind", BLIND_TEST))
    blind = load_blind_set(folder)
    live, run_id = ctx.live(), uuid.uuid4().hex[:8]
    player = BlindPlayer(live, run_id)
    progress(f"blind: {len(blind.conversations)} conversations and {len(blind.near_misses)} near-miss questions "
             f"from {folder}")
    results = []
    for number, conversation in enumerate(blind.conversations, 1):
        results.append(play(player, conversation))
        if number % 25 == 0:
            progress(f"blind: {number}/{len(blind.conversations)} conversations")
    near = []
    for question in blind.near_misses:
        try:
            response, actions = player.turn(f"eval-near-{run_id}-{question.id}", question.question)
        except httpx.HTTPError as failure:
            response, actions = {"messages": [], "error": str(failure).splitlines()[0]}, []
        route = observed_route(response, actions)
        near.append({"id": question.id, "question": question.question, "near_topic": question.near_topic,
                     "bot": bot_text(response), "observed_route": route, "cited": cited_docs(response),
                     "passed": route in NEAR_MISS_PASS and bool(bot_text(response).strip())})
    routes = Counter((t["expected_route"], t["observed_route"]) for r in results for t in r["turns"])
    metrics = summarise(results, near)
    metrics = named_for_its_set(metrics, folder, BLIND_TEST, folder.name)
    return {"status": "ok", "metrics": metrics, "set": str(folder),
            "routes": [{"expected": e, "observed": o, "turns": n} for (e, o), n in sorted(routes.items())],
            "conversations": results, "near_misses": near,
            "failures": [r for r in results if not r["passed"]] + [n for n in near if not n["passed"]]}
