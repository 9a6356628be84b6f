"""Run a list of suites with one shared context; every suite's failure is contained in its result."""
from __future__ import annotations

import importlib
import os
import platform
import socket
import subprocess
import time
from datetime import datetime, timezone
from typing import Any

from eval.loaders import LoaderError
from eval.loaders.external import DatasetMissing
from eval.suites.context import REPO, EvalContext, SuiteSkipped, progress


def git_commit() -> dict[str, Any]:
    def git(*args: str) -> str:
        result = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, timeout=10)
        return result.stdout.strip() if result.returncode == 0 else ""

    return {"commit": git("rev-parse", "HEAD") or None, "dirty": bool(git("status", "--porcelain", "-uno"))}


def machine() -> dict[str, Any]:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    return {"hostname": socket.gethostname(), "platform": platform.platform(), "cpus": os.cpu_count(),
            "python": platform.python_version(), "load_1min_at_start": round(load, 2) if load is not None else None}


def run_one(name: str, ctx: EvalContext) -> dict[str, Any]:
    module = importlib.import_module(f"eval.suites.{name}")
    try:
        return module.run(ctx)
    except (SuiteSkipped, DatasetMissing) as skipped:
        return {"status": "skipped", "message": str(skipped), "metrics": {}}
    except (LoaderError, ValueError, OSError, RuntimeError) as error:
        message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return {"status": "error", "message": f"{type(error).__name__}: {message}", "metrics": {}}
    except Exception as error:  # noqa: BLE001 - one broken suite must not lose the others' numbers
        return {"status": "error", "message": f"{type(error).__name__}: {error}"[:500], "metrics": {}}


def run_suites(names: list[str], ctx: EvalContext, command: str) -> dict[str, Any]:
    started = time.perf_counter()
    meta: dict[str, Any] = {"date": datetime.now(timezone.utc).isoformat(timespec="seconds"), "git": git_commit(),
                            "machine": machine(), "command": command, "quick": ctx.quick,
                            "options": {k: str(v) for k, v in ctx.options.items() if v is not None},
                            "durations_s": {}}
    suites: dict[str, Any] = {}
    try:
        for name in names:
            progress(f"suite {name} …")
            began = time.perf_counter()
            suites[name] = run_one(name, ctx)
            meta["durations_s"][name] = round(time.perf_counter() - began, 1)
            status = suites[name]["status"]
            progress(f"suite {name}: {status} in {meta['durations_s'][name]} s"
                     + (f" ({suites[name]['message']})" if status != "ok" else ""))
    finally:
        ctx.close()
    meta["stack_start_s"] = ctx.stack_start_s  # included in the first live suite's duration
    meta["total_s"] = round(time.perf_counter() - started, 1)
    return {"meta": meta, "suites": suites}
