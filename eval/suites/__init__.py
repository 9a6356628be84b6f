"""The eval suites: each module has `run(ctx: EvalContext) -> dict` returning at least
`{"status": "ok", "metrics": {name: number}}`; `SuiteSkipped` means it cannot run here."""

ORDER = ("retrieval", "rag", "nlu", "conversations", "rag_live", "handoff", "latency")
LIVE = {"conversations", "rag_live", "handoff", "latency"}  # suites that need the running stack
