"""Run inside the Rasa environment: load one model the stock way and the fast way, print both.

Usage: python parity_script.py stock|fast MODEL.tar.gz  -> one JSON document on stdout.
"""
import asyncio
import json
import sys
import time

MESSAGES = ["你好", "我的订单到哪了", "我要退货", "转人工", "发票怎么开", "这个有优惠券吗",
            "快递三天了还没动", "我要投诉你们", "谢谢", "今天天气怎么样", "hello", "😀😀"]
DIALOGUE = ["你好", "我的订单到哪了", "算了", "谢谢"]


async def measure(agent) -> dict:
    parses = []
    for text in MESSAGES:
        result = await agent.parse_message(text)
        parses.append({"text": text, "ranking": [[r["name"], round(r["confidence"], 5)]
                                                 for r in result["intent_ranking"][:3]]})
    sender = f"parity-{time.time_ns()}"
    next_actions = []
    for text in DIALOGUE:
        await agent.handle_text(text, sender_id=sender)
        prediction = await agent.predict_next_for_sender_id(sender)
        next_actions.append([prediction.get("scores", [{}])[0].get("action"),
                             round(prediction.get("scores", [{}])[0].get("score", 0.0), 5)])
    return {"parses": parses, "next_actions": next_actions}


def main() -> None:
    mode, model = sys.argv[1], sys.argv[2]
    if mode == "fast":
        from rasa_plugins.runtime.fast_load import install

        install()
    from rasa.core.agent import Agent

    started = time.perf_counter()
    agent = Agent.load(model)
    load_seconds = time.perf_counter() - started
    print(json.dumps({"load_seconds": load_seconds, **asyncio.run(measure(agent))}, ensure_ascii=False))


if __name__ == "__main__":
    main()
