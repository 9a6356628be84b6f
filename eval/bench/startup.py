"""`kefu bench startup`: how long a second `kefu up` takes to reach "ready", and where the time goes.

Each run starts the real `kefu up` on free ports (a private var/ folder, the project's models and
knowledge index), reads its progress lines, stops it with Ctrl-C (SIGINT) and checks it exits
cleanly. The first run may train or index; the figures that matter are the runs after it.
"""
from __future__ import annotations

import json
import os
import re
import signal
import statistics
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bot.environments import CODE_ROOT
from bot.stack_process import start_stack
from eval.bench.machine import describe, load_average
from eval.bench.stack import bench_options

READY = re.compile(r"Kefu is ready \((?P<seconds>[\d.]+) s\)")
SERVICE_READY = re.compile(r"\[kefu\] (?P<name>\w+) ready after (?P<seconds>[\d.]+) s")
MODEL = re.compile(r"\[kefu\] model .*\((?P<state>trained|up to date), (?P<seconds>[\d.]+) s\)")
INDEX = re.compile(r"\[kefu\] knowledge index: .*\((?P<seconds>[\d.]+) s\)$")


@dataclass
class StartupRun:
    ready_seconds: float
    model_seconds: float | None = None
    model_trained: bool = False
    index_seconds: float | None = None
    services_ready_after_index: dict[str, float] = field(default_factory=dict)
    load_average: float = 0.0


def parse_progress(lines: list[str]) -> StartupRun | None:
    """The figures `kefu up` prints on its way to ready; None if it never got there."""
    run = StartupRun(ready_seconds=-1.0)
    for line in lines:
        if match := READY.search(line):
            run.ready_seconds = float(match["seconds"])
        elif match := SERVICE_READY.search(line):
            run.services_ready_after_index[match["name"]] = float(match["seconds"])
        elif match := MODEL.search(line):
            run.model_seconds, run.model_trained = float(match["seconds"]), match["state"] == "trained"
        elif match := INDEX.search(line):
            run.index_seconds = float(match["seconds"])
    return run if run.ready_seconds >= 0 else None


def one_start(folder: Path, timeout_s: float = 900) -> StartupRun:
    """One `kefu up` (the product, in a subprocess; it trains or indexes itself if needed) to ready,
    then Ctrl-C."""
    load_before = os.getloadavg()[0]
    stack = start_stack(folder, timeout_s, train_first=False,  # raises StartupError with its output
                        **bench_options(CODE_ROOT / "knowledge", CODE_ROOT / "var" / "index"))
    code = stack.stop(signal.SIGINT, timeout_s=120)
    run = parse_progress([line.rstrip() for line in stack.output])
    if run is None:
        raise RuntimeError("kefu up did not become ready; its output ends with:\n" + "".join(stack.output[-15:]))
    if code != 0:
        raise RuntimeError(f"kefu up exited with {code} after Ctrl-C (expected 0)")
    run.load_average = round((load_before + os.getloadavg()[0]) / 2, 2)
    return run


def bench_startup(runs: int, out: Path, argv: list[str] | None = None) -> dict[str, object]:
    machine = describe()
    results: list[StartupRun] = []
    for number in range(1, runs + 1):
        with tempfile.TemporaryDirectory(prefix="kefu-startup-") as folder:
            print(f"[bench startup] run {number}/{runs} ...", file=sys.stderr, flush=True)
            results.append(one_start(Path(folder)))
            print(f"[bench startup] ready after {results[-1].ready_seconds:.1f} s "
                  f"(load average {results[-1].load_average})", file=sys.stderr, flush=True)
    warm = [r for r in results if not r.model_trained] or results
    machine["load_end"] = load_average()
    summary = {"machine": machine, "command": "kefu bench " + " ".join(argv or ["startup"]),
               "runs": [asdict(r) for r in results],
               "median_ready_seconds": statistics.median(r.ready_seconds for r in warm),
               "target_seconds": 60.0}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(summary, indent=1), encoding="utf-8")
    return summary
