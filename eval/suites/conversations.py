"""`kefu eval conversations`: behaviour of the running bot, with the action server executing.

(a) Rasa test stories (eval/data/test_stories/ or `--stories PATH`): each story's customer turns are
    replayed through Rasa's REST channel as a new customer; the tracker's intents and executed
    actions must equal the story's `intent`/`action` steps, in order (stock `rasa test` never
    runs custom actions, so there a story can pass that fails live). `stories_passed` needs
    both; `stories_actions_passed` compares only the actions (what the customer experiences,
    whatever intent name the NLU chose on the way).
(b) Scripted dialogues (eval/data/dialogues/ or `--dialogues PATH`, format in
    eval/loaders/dialogues.py) through the gateway's customer API, so hand-off is exercised.
"""
from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from eval.loaders.dialogues import DEFAULT_DIALOGUES, Dialogue, DialogueTurn, load_dialogues
from eval.loaders.stories import DEFAULT_STORIES, TestStory, load_stories
from eval.suites.context import EvalContext, progress
from eval.suites.live import SKIPPED_ACTIONS, LiveStack, bot_text, cited_docs, handed_off, last_turn, tracker_steps


def replay_story(live: LiveStack, story: TestStory, sender: str) -> dict[str, Any]:
    if story.sender:
        sender = story.sender
        live.reset(sender)
    transcript = []
    for message in story.messages:
        replies = live.rasa_message("stories", sender, message)
        transcript.append({"user": message, "bot": "\n".join(r.get("text") or "[payload]" for r in replies)})
    actual = tracker_steps(live.tracker(sender))
    # action_listen is implicit after every bot turn live; a story may spell it out
    expected = [e for e in story.expected if not (e.kind == "action" and e.names[0] in SKIPPED_ACTIONS)]
    mismatch = next((i for i, (want, got) in enumerate(zip(expected, actual)) if not want.matches(*got)),
                    None if len(actual) == len(expected) else min(len(actual), len(expected)))
    correct = mismatch if mismatch is not None else len(expected)
    actions_only = [e.names[0] for e in expected if e.kind == "action"] == [n for k, n in actual if k == "action"]
    result: dict[str, Any] = {"name": story.name, "source": story.source, "passed": mismatch is None,
                              "actions_passed": actions_only,
                              "steps": len(expected), "steps_correct_before_first_error": correct,
                              "transcript": transcript}
    if mismatch is not None:
        result["first_error"] = {
            "position": mismatch,
            "expected": str(expected[mismatch]) if mismatch < len(expected) else "(end of story)",
            "got": " ".join(actual[mismatch]) if mismatch < len(actual) else "(nothing)"}
        result["expected_steps"] = [str(e) for e in expected]
        result["actual_steps"] = [" ".join(a) for a in actual]
    return result


def _slot_matches(expected: Any, got: Any) -> bool:
    return expected == got or (expected is not None and got is not None and str(expected) == str(got))


def check_turn(live: LiveStack, sender: str, turn: DialogueTurn, response: dict[str, Any]) -> dict[str, Any]:
    text, checks = bot_text(response), {}
    if turn.intent or turn.slots or turn.action:
        tracker = live.tracker(live.bot_sender(sender))
        intent, actions = last_turn(tracker)
        if turn.intent:
            checks["intent"] = {"expected": turn.intent, "got": intent, "ok": intent == turn.intent}
        if turn.action:
            checks["action"] = {"expected": turn.action, "got": actions, "ok": turn.action in actions}
        for slot, want in turn.slots.items():
            got = (tracker.get("slots") or {}).get(slot)
            checks[f"slot {slot}"] = {"expected": want, "got": got, "ok": _slot_matches(want, got)}
    if turn.contains:
        missing = [t for t in turn.contains if t not in text]
        checks["contains"] = {"expected": turn.contains, "got": missing or "all present", "ok": not missing}
    if turn.not_contains:
        present = [t for t in turn.not_contains if t in text]
        checks["not_contains"] = {"expected": turn.not_contains, "got": present or "none", "ok": not present}
    if turn.cites:
        docs = cited_docs(response)
        checks["cites"] = {"expected": turn.cites, "got": docs, "ok": bool(set(docs) & set(turn.cites))}
    if turn.handoff is not None:
        checks["handoff"] = {"expected": turn.handoff, "got": handed_off(response),
                             "ok": handed_off(response) == turn.handoff}
    return {"user": turn.user, "bot": text, "mode": response.get("mode"), "checks": checks,
            "ok": all(c["ok"] for c in checks.values())}


def run_dialogue(live: LiveStack, dialogue: Dialogue, sender: str) -> dict[str, Any]:
    if dialogue.sender:
        sender = dialogue.sender
        live.identify(sender)
        live.reset(sender)
    turns = [check_turn(live, sender, turn, live.chat("dialogues", sender, turn.user)) for turn in dialogue.turns]
    return {"name": dialogue.name, "source": dialogue.source, "sender": sender,
            "passed": all(t["ok"] for t in turns), "turns": turns}


def check_rates(dialogues: list[dict[str, Any]]) -> dict[str, float]:
    """Pass rate per kind of expectation (intent, slot, contains, cites, action, handoff)."""
    tally: dict[str, list[bool]] = {}
    for dialogue in dialogues:
        for turn in dialogue["turns"]:
            for name, check in turn["checks"].items():
                tally.setdefault(name.split(" ")[0], []).append(check["ok"])
    return {f"dialogue_checks/{kind}": round(sum(oks) / len(oks), 4) for kind, oks in sorted(tally.items())}


def run(ctx: EvalContext) -> dict[str, Any]:
    stories = load_stories(Path(ctx.option("stories", DEFAULT_STORIES)))
    dialogues = load_dialogues(Path(ctx.option("dialogues", DEFAULT_DIALOGUES)))
    live, run_id = ctx.live(), uuid.uuid4().hex[:8]
    progress(f"conversations: replaying {len(stories)} test stories through Rasa's REST channel")
    story_results = [replay_story(live, story, f"eval-story-{run_id}-{i}") for i, story in enumerate(stories)]
    progress(f"conversations: {len(dialogues)} scripted dialogues through the gateway")
    dialogue_results = [run_dialogue(live, d, f"eval-dlg-{run_id}-{i}") for i, d in enumerate(dialogues)]
    turns = [t for d in dialogue_results for t in d["turns"]]
    metrics = {
        "stories_passed": round(sum(s["passed"] for s in story_results) / len(story_results), 4),
        "stories_actions_passed": round(sum(s["actions_passed"] for s in story_results) / len(story_results), 4),
        "story_steps_correct": round(sum(s["steps_correct_before_first_error"] for s in story_results)
                                     / max(sum(s["steps"] for s in story_results), 1), 4),
        "dialogues_passed": round(sum(d["passed"] for d in dialogue_results) / len(dialogue_results), 4),
        "dialogue_turns_passed": round(sum(t["ok"] for t in turns) / len(turns), 4),
        **check_rates(dialogue_results),
    }
    return {"status": "ok", "metrics": metrics, "counts": {"stories": len(stories), "dialogues": len(dialogues)},
            "stories": story_results, "dialogues": dialogue_results,
            "failures": [s for s in story_results if not s["passed"]] + [d for d in dialogue_results if not d["passed"]]}
