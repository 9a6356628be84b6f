import pytest

from retrieval.ingest.faq import faq_item_to_chunk, read_faq
from retrieval.ingest.problems import IngestError

YAML = """category: 物流
items:
  - id: a1
    question: 包邮吗？
    phrasings: [运费多少, 满多少包邮]
    answer: 满99元包邮。
    links: [https://x.example/a]
  - id: a2
    question: 没有答案
"""


def test_yaml_items_become_chunks_and_bad_items_errors_with_line():
    results = list(read_faq(YAML, "faq/s.yaml", ".yaml"))
    chunk, error = results
    assert (chunk.chunk_id, chunk.doc_id, chunk.category, chunk.links) == ("a1", "a1", "物流", ["https://x.example/a"])
    assert chunk.views == ["包邮吗？", "运费多少", "满多少包邮", "包邮吗？ 满99元包邮。"]
    assert chunk.answer_text == "满99元包邮。" and len(chunk.version) == 16
    assert isinstance(error, IngestError) and error.line == 8 and "no 'answer'" in str(error)


def test_csv_phrasings_are_pipe_separated_and_lines_counted():
    text = "id,question,phrasings,answer,category,links\nc1,发票？,开票|要发票,48小时内开具。,发票,\nc2,,x,y,,\n"
    chunk, error = read_faq(text, "faq/f.csv", ".csv")
    assert chunk.views[:3] == ["发票？", "开票", "要发票"] and chunk.category == "发票"
    assert isinstance(error, IngestError) and error.line == 3


def test_jsonl_malformed_line_is_reported_and_others_load():
    text = '{"id": "j1", "question": "q", "alternatives": ["a", "b"], "answer": "ans"}\n{broken\n'
    chunk, error = read_faq(text, "faq/p.jsonl", ".jsonl")
    assert chunk.views == ["q", "a", "b", "q ans"]
    assert isinstance(error, IngestError) and error.line == 2 and "malformed JSON" in str(error)


def test_malformed_yaml_names_the_line():
    with pytest.raises(IngestError) as raised:
        list(read_faq("items:\n  - id: x\n    question: [unclosed\n", "f.yaml", ".yaml"))
    assert raised.value.line == 4


def test_version_changes_with_content():
    item = {"id": "v", "question": "q", "answer": "a"}
    assert faq_item_to_chunk(item, "s", 0).version != faq_item_to_chunk({**item, "answer": "b"}, "s", 0).version
