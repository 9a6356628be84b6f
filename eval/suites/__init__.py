"""The eval suites: each module has `run(ctx: EvalContext) -> dict` returning at least
`{"status": "ok", "metrics": {name: number}}`; `SuiteSkipped` means it cannot run here."""

ORDER = ("retrieval", "rag", "nlu", "risk", "conversations", "rag_live", "handoff", "latency", "blind", "jddc_routes", "replay")
LIVE = {"conversations", "rag_live", "handoff", "latency", "blind", "jddc_routes", "replay"}  # suites that need the running stack
ON_REQUEST = {"blind", "jddc_routes", "replay"}  # run only when named: `all` leaves them out (the blind set is not a CI gate yet)
