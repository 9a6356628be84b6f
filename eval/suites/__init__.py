"""The eval suites: each module has `run(ctx: EvalContext) -> dict` returning at least
`{"status": "ok", "metrics": {name: number}}`; `SuiteSkipped` means it cannot run here."""

ORDER = ("retrieval", "rag", "nlu", "conversations", "handoff", "latency")
LIVE = {"conversations", "handoff", "latency"}  # suites that need the running stack
