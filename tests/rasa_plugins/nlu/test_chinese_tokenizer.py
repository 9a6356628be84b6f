"""ChineseTokenizer with the real Rasa 3.6.21 and the real jieba, run in the Rasa environment."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.rasa_plugins.nlu.rasa_side import run_in_rasa

NLU_YAML = """
version: "3.1"
nlu:
- intent: order_status
  examples: |
    - 帮我查订单[HW2024051234](order_number)的物流
    - 我的[手机](product)号码换了
    - 我想买[定制刻字钢笔](product)
- lookup: product
  examples: |
    - 坚果礼盒
- synonym: 坚果礼盒
  examples: |
    - 年货大礼包
"""

SCRIPT = """
import json, jieba
from pathlib import Path
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.tokenizers.jieba_tokenizer import JiebaTokenizer
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader
from rasa.shared.nlu.training_data.message import Message
from rasa_plugins.nlu.chinese_tokenizer import ChineseTokenizer

tmp = Path({tmp!r})
data = RasaYAMLReader().reads({yaml!r})
(tmp / "storage").mkdir()
storage = LocalModelStorage(tmp / "storage")
resource = Resource("tokenizer")
context = ExecutionContext(GraphSchema({{}}), "test")
config = {{**ChineseTokenizer.get_default_config()}}
trained = ChineseTokenizer.create(config, storage, resource, context)
trained.train(data)
loaded = ChineseTokenizer.load(config, storage, resource, context)
loaded.process_training_data(data)
jieba_tokenizer = JiebaTokenizer.create({{**JiebaTokenizer.get_default_config()}}, storage, Resource("j"), context)

def words(tokenizer, text):
    return [[t.text, t.start, t.end] for t in tokenizer.tokenize(Message(data={{"text": text}}), "text")]

def entity_alignment(tokens_of):
    rows = []
    for example in data.entity_examples:
        tokens = tokens_of(example)
        starts, ends = {{t.start for t in tokens}}, {{t.end for t in tokens}}
        rows += [e["start"] in starts and e["end"] in ends for e in example.get("entities")]
    return rows

texts = ["我 要  退货 ", "订单HW2024051234，手机13812345678到哪了", "Where is my order #A-1234?",
         "定制刻字钢笔", "年货大礼包", "？？"]
print(json.dumps({{
    "kefu": {{text: words(loaded, text) for text in texts}},
    "fresh": words(ChineseTokenizer.create(config, storage, Resource("x"), context), "定制刻字钢笔"),
    "global_jieba": jieba.lcut("定制刻字钢笔"),
    "kefu_alignment": entity_alignment(lambda example: example.get("text_tokens")),
    "jieba_alignment": entity_alignment(lambda example: jieba_tokenizer.tokenize(example, "text")),
}}, ensure_ascii=False))
"""


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp: Path = tmp_path_factory.mktemp("tokenizer")
    return run_in_rasa(SCRIPT.format(tmp=str(tmp), yaml=NLU_YAML))


def test_no_whitespace_or_punctuation_tokens(result: dict[str, Any]) -> None:
    tokens = result["kefu"]["我 要  退货 "]
    assert [t[0] for t in tokens] == ["我", "要", "退货"]
    assert all(not text.strip() == "" for text, _, _ in tokens)
    assert result["kefu"]["？？"] == [["？？", 0, 2]]  # never an empty token list


def test_offsets_point_at_the_token_text(result: dict[str, Any]) -> None:
    for text, tokens in result["kefu"].items():
        for word, start, end in tokens:
            assert text[start:end] == word


def test_order_and_phone_numbers_stay_one_token(result: dict[str, Any]) -> None:
    words = [t[0] for t in result["kefu"]["订单HW2024051234，手机13812345678到哪了"]]
    assert "HW2024051234" in words and "13812345678" in words
    assert "，" not in words
    english = [t[0] for t in result["kefu"]["Where is my order #A-1234?"]]
    assert english == ["Where", "is", "my", "order", "A-1234"]


def test_entity_spans_are_token_boundaries_unlike_stock_jieba(result: dict[str, Any]) -> None:
    assert result["kefu_alignment"] == [True, True, True]
    # "[手机](product)号码": stock Jieba makes one word of 手机号码 (rasa#7689); checked here so the
    # test would notice if the example stopped exercising the fix.
    assert False in result["jieba_alignment"]


def test_training_data_words_form_a_private_user_dictionary(result: dict[str, Any]) -> None:
    assert [t[0] for t in result["kefu"]["定制刻字钢笔"]] == ["定制刻字钢笔"]  # entity value
    assert [t[0] for t in result["kefu"]["年货大礼包"]] == ["年货大礼包"]  # synonym
    assert len(result["fresh"]) > 1, "an untrained tokenizer must not know the word"
    assert result["global_jieba"] != ["定制刻字钢笔"], "the global jieba dictionary was changed"
