"""eval.nlu.clean: the doctor's rule drops suspect labels and both sides of a conflict, nothing else."""
from __future__ import annotations

from tests.rasa_plugins.nlu.rasa_side import run_in_rasa

GREET = ["你好", "您好", "哈喽", "你好呀", "嗨", "早上好", "晚上好", "hello", "hi 客服", "你好 在不在"]
REFUND = ["退款什么时候到账", "我的退款到哪了", "退款进度查一下", "钱什么时候退回来", "退款还没收到",
          "退款多久能到", "帮我查退款", "退的钱到账了吗", "退款怎么还没到", "申请的退款有结果了吗"]


def test_the_doctor_rule_drops_the_mislabelled_and_the_conflicting_examples() -> None:
    result = run_in_rasa(f"""
        import json
        from rasa.shared.nlu.training_data.message import Message
        from rasa.shared.nlu.training_data.training_data import TrainingData
        from eval.nlu.clean import clean_with_doctor
        rows = [(t, "greet") for t in {GREET!r}] + [(t, "refund") for t in {REFUND!r}]
        rows += [("退款到账了没有啊", "greet"),  # mislabelled
                 ("在吗", "greet"), ("在吗", "refund")]  # the same text under two intents
        data = TrainingData([Message(data={{"text": t, "intent": i}}) for t, i in rows],
                            lookup_tables=[{{"name": "product", "elements": ["空气炸锅"]}}])
        cleaned, counts = clean_with_doctor(data)
        kept = [(m.get("text"), m.get("intent")) for m in cleaned.intent_examples]
        print(json.dumps({{"kept": kept, "counts": counts, "lookups": len(cleaned.lookup_tables)}}, ensure_ascii=False))
    """)
    kept = {tuple(pair) for pair in result["kept"]}
    assert ("退款到账了没有啊", "greet") not in kept
    assert not any(text == "在吗" for text, _ in kept)
    assert result["counts"]["conflicts"] >= 1 and result["counts"]["suspect_labels"] >= 1
    assert result["counts"]["kept"] + result["counts"]["dropped"] == len(GREET) + len(REFUND) + 3
    # The well-labelled examples survive: cleaning is not "drop whatever is hard".
    assert sum(1 for _, intent in kept if intent == "refund") >= 9 and sum(1 for _, i in kept if i == "greet") >= 9
    assert result["lookups"] == 1
