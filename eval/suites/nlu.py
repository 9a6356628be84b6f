"""`kefu eval nlu`: intent classification through the NLU engineer's `eval.nlu.suite` (it trains
and tests in the Rasa environment). Default data set: the demo bot's own nlu_data (k-fold in
--quick); `--dataset cic|clinc150|banking77|PATH` (a Rasa NLU YAML file or folder)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from eval.loaders.external import KNOWN, DatasetMissing, dataset_folder
from eval.suites.context import REPO, EvalContext, SuiteSkipped, progress

DEFAULT_DATASET = str(REPO / "nlu_data")  # the demo bot's own NLU data (a PATH for the NLU suite)


def nlu_dataset(ctx: EvalContext) -> str:
    dataset = str(ctx.option("dataset", DEFAULT_DATASET))
    if dataset.endswith(".jsonl"):
        raise SuiteSkipped(f"--dataset {dataset} is a QA file (used by retrieval/rag); NLU needs Rasa NLU YAML")
    if dataset in KNOWN:
        try:
            dataset_folder(dataset)
        except DatasetMissing as missing:
            raise SuiteSkipped(str(missing)) from None
    elif dataset != DEFAULT_DATASET and not Path(dataset).exists():
        raise ValueError(f"--dataset {dataset}: no such file or folder; use cic, clinc150, banking77 or a path")
    return dataset


def flat_metrics(data: dict[str, Any]) -> dict[str, float]:
    metrics: dict[str, float] = {}
    for name, pipeline in (data.get("pipelines") or {}).items():
        metrics[f"{name}/accuracy"] = pipeline["accuracy"]
        metrics[f"{name}/macro_f1"] = pipeline["macro_f1"]
        for key in ("in_scope_accuracy", "oos_recall"):
            if pipeline.get("oos"):
                metrics[f"{name}/{key}"] = pipeline["oos"][key]
        for key in ("train_seconds", "test_seconds"):
            if pipeline.get(key) is not None:
                metrics[f"{name}/{key}"] = pipeline[key]
    return metrics


def from_json(data: dict[str, Any]) -> dict[str, Any]:
    """The suite's result from the NLU JSON (schema agreed with eval/nlu/suite.py)."""
    if data.get("suite") != "nlu" or not isinstance(data.get("pipelines"), dict):
        raise ValueError("the NLU result does not follow the agreed schema (suite: nlu, pipelines: {...})")
    failures = []
    for name, pipeline in data["pipelines"].items():
        worst = sorted(pipeline.get("per_intent_f1", {}).items(), key=lambda item: item[1])[:5]
        failures += [{"pipeline": name, "intent": intent, "f1": f1} for intent, f1 in worst if f1 < 1]
    return {"status": "ok", "metrics": flat_metrics(data), "nlu": data, "failures": failures}


def run(ctx: EvalContext) -> dict[str, Any]:
    try:
        from eval.nlu.suite import run_nlu_suite  # built by the NLU work (issue 7)
    except ImportError:
        raise SuiteSkipped("nlu suite not available yet: eval/nlu/suite.py is missing") from None
    dataset = nlu_dataset(ctx)
    progress(f"nlu: dataset {dataset}{' (quick)' if ctx.quick else ''}; training runs in the Rasa environment")
    data = run_nlu_suite(dataset, quick=ctx.quick, json_out=ctx.out_dir / "nlu.json")
    return from_json(data)
