"""Benchmark: NLU parse latency of a running Rasa server (POST /model/parse), median and p95.

    ./kefu ... or <py311> -m eval.bench.nlu_parse [--url http://127.0.0.1:PORT] [--model FILE]
                                                  [--rounds 3] [--json-out FILE]

Without ``--url`` it starts Rasa itself (the trained demo model, or ``--model``) on a free port
with the Rasa environment, waits until the model is loaded, measures, and stops it. Messages are
the held-out customer messages (eval/data/nlu_heldout.yml), sent one at a time, after a
warm-up. A benchmark, not a test: the figures depend on the machine and its load.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import yaml

from bot.environments import CODE_ROOT, rasa_python

HELDOUT = CODE_ROOT / "eval" / "data" / "nlu_heldout.yml"
WARM_UP = 10
TARGET_P95_MS = 30.0


def messages() -> list[str]:
    items = yaml.safe_load(HELDOUT.read_text(encoding="utf-8"))["nlu"]
    return [re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line[2:]).strip()
            for item in items if "intent" in item for line in item["examples"].splitlines() if line.startswith("- ")]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def post_parse(url: str, text: str) -> float:
    request = urllib.request.Request(f"{url}/model/parse", data=json.dumps({"text": text}).encode("utf-8"),
                                     headers={"Content-Type": "application/json"}, method="POST")
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:
        body = json.loads(response.read())
    elapsed = (time.perf_counter() - started) * 1000
    if "intent" not in body:
        raise RuntimeError(f"unexpected /model/parse answer: {body}")
    return elapsed


def start_rasa(model: Path, log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(CODE_ROOT), "RASA_TELEMETRY_ENABLED": "false"}
    command = [str(rasa_python()), "-m", "rasa_plugins.runtime", "run", "--enable-api", "--model", str(model),
               "--interface", "127.0.0.1", "--port", str(port)]
    handle = open(log, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the server
    process = subprocess.Popen(command, cwd=CODE_ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT,
                               start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 900
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Rasa exited with {process.returncode}; see {log}")
        try:
            with urllib.request.urlopen(f"{url}/status", timeout=5) as response:
                if json.loads(response.read()).get("model_id"):
                    return process, url
        except OSError:
            pass
        time.sleep(1)
    stop(process)
    raise RuntimeError(f"Rasa did not load {model} within 15 minutes; see {log}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def measure(url: str, texts: list[str], rounds: int) -> dict:
    for text in texts[:WARM_UP]:
        post_parse(url, text)
    timings = [post_parse(url, text) for _ in range(rounds) for text in texts]
    ordered = sorted(timings)
    return {"requests": len(timings), "median_ms": round(statistics.median(timings), 2),
            "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 2), "max_ms": round(ordered[-1], 2),
            "target_p95_ms": TARGET_P95_MS}


def default_model() -> Path:
    from bot.config import load_config
    from bot.training import model_path_for

    model = model_path_for(load_config(CODE_ROOT / "kefu.yml"))
    if not model.exists():
        raise SystemExit(f"no trained model {model}: run ./kefu train first (or pass --model)")
    return model


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running Rasa server (default: start one on a free port)")
    parser.add_argument("--model", type=Path, help="model to serve when starting Rasa (default: the demo bot's)")
    parser.add_argument("--rounds", type=int, default=3, help="passes over the held-out messages")
    parser.add_argument("--json-out", type=Path)
    args = parser.parse_args()
    texts = messages()
    process = None
    url = args.url
    if not url:
        model = args.model or default_model()
        log = CODE_ROOT / "var" / "logs" / "nlu_parse_bench_rasa.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        print(f"[bench] starting Rasa with {model.name} ...", file=sys.stderr, flush=True)
        process, url = start_rasa(model, log)
    try:
        print(f"[bench] {len(texts)} messages x {args.rounds} rounds against {url}", file=sys.stderr, flush=True)
        result = {"url": url, **measure(url, texts, args.rounds)}
    finally:
        if process is not None:
            stop(process)
    print(json.dumps(result, indent=1))
    if args.json_out:
        args.json_out.write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
