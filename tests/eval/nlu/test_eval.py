"""`kefu eval nlu` end to end: eval.nlu.suite (3.11) runs eval.nlu.evaluate in the real Rasa environment."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.environments import datasets_dir
from eval.nlu.suite import run_nlu_suite

INTENTS = {
    "order_status": ["我的订单到哪了", "查一下订单状态", "订单什么时候发货", "帮我看看订单", "我买的东西发货了吗",
                     "订单怎么还没发", "查询我的订单进度", "订单现在什么状态"],
    "refund_status": ["退款什么时候到账", "我的退款到哪了", "退款进度查一下", "钱什么时候退回来",
                      "退款还没收到", "退款多久能到", "帮我查退款", "退的钱到账了吗"],
    "greet": ["你好", "在吗", "您好", "哈喽", "有人吗", "你好呀", "嗨", "客服在吗"],
    "out_of_scope": ["今天天气怎么样", "给我讲个笑话", "股票会涨吗", "帮我写一首诗", "你会唱歌吗",
                     "明天会下雨吗", "推荐一部电影", "世界上最高的山是哪座"],
}


def nlu_yaml() -> str:
    blocks = [f"- intent: {intent}\n  examples: |\n" + "".join(f"    - {text}\n" for text in texts)
              for intent, texts in INTENTS.items()]
    return 'version: "3.1"\nnlu:\n' + "".join(blocks)


def check_pipeline(result: dict[str, Any], n_test: int, intents: set[str]) -> None:
    assert set(result) >= {"accuracy", "macro_f1", "per_intent_f1", "confusion", "oos", "train_seconds",
                           "test_seconds"}
    assert 0.0 <= result["accuracy"] <= 1.0 and 0.0 <= result["macro_f1"] <= 1.0
    assert set(result["per_intent_f1"]) == intents
    confusion = result["confusion"]
    assert confusion["labels"][:len(intents)] == sorted(intents)
    assert sum(map(sum, confusion["matrix"])) == n_test
    assert result["train_seconds"] > 0 and result["test_seconds"] > 0


def test_rasa_yaml_file_is_cross_validated_with_both_pipelines(tmp_path: Path) -> None:
    data = tmp_path / "tiny_nlu.yml"
    data.write_text(nlu_yaml(), encoding="utf-8")
    out = tmp_path / "nlu.json"
    report = run_nlu_suite(str(data), quick=True, json_out=out)

    assert report == json.loads(out.read_text(encoding="utf-8"))
    assert report["suite"] == "nlu" and report["quick"] is True and report["language"] == "zh"
    assert report["n_train"] == report["n_test"] == 32  # k-fold: every message is tested once
    assert set(report["pipelines"]) == {"kefu", "stock"}
    for result in report["pipelines"].values():
        check_pipeline(result, 32, set(INTENTS))
        oos = result["oos"]
        assert oos is not None and 0 <= oos["threshold"] < 1
        assert 0 <= oos["in_scope_accuracy"] <= 1 and 0 <= oos["oos_recall"] <= 1
    # Four well separated intents: a working pipeline gets most of them right even on 3 folds.
    assert report["pipelines"]["kefu"]["accuracy"] >= 0.6
    assert report["confusion_png"] and Path(report["confusion_png"]).stat().st_size > 1000


def test_missing_file_fails_with_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="no such file or folder"):
        run_nlu_suite(str(tmp_path / "absent.yml"), quick=True, json_out=tmp_path / "nlu.json")


def test_shared_banking77_quick(tmp_path: Path) -> None:
    if not (datasets_dir() / "banking77" / "train.csv").is_file():
        pytest.skip(f"banking77 is not on this machine (looked in {datasets_dir()})")
    report = run_nlu_suite("banking77", quick=True, json_out=tmp_path / "nlu.json")
    assert report["language"] == "en" and report["dataset"] == "banking77"
    assert report["n_train"] == 77 * 20 and report["n_test"] == 77 * 10
    for result in report["pipelines"].values():
        check_pipeline(result, report["n_test"], set(result["per_intent_f1"]))
        assert len(result["per_intent_f1"]) == 77 and result["oos"] is None
    assert report["pipelines"]["kefu"]["accuracy"] > 0.5
