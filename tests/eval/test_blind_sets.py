"""The frozen blind sets: they load with the hashes they were committed with, a changed byte is
refused, they share no sentence with the bot's training data or with each other, and the JDDC
route labels match the data set."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from eval.loaders import LoaderError
from eval.loaders.blind import BLIND_DEV, BLIND_TEST, CATEGORIES, load_blind_set
from eval.loaders.jddc_routes import DEV_LABELS, LABELS, RENDERED_ORDER_NUMBER, load_jddc_routes, render_placeholders

REPO = Path(__file__).resolve().parents[2]
LONG = 16
"""Short messages recur whoever writes them: 转人工, 在吗, a phone tail, an order number, and stock
questions (at freezing, 12 test sentences were also training examples, the longest of them
店铺券和平台券能一起用吗, 12 characters). A shared sentence of this many characters or more would mean
one set was copied from another."""


def _long(sentences: set[str]) -> set[str]:
    return {sentence for sentence in sentences if len(sentence) >= LONG}


def _training_texts() -> set[str]:
    texts: set[str] = set()
    for file in (REPO / "nlu_data").rglob("*.yml"):
        for block in (yaml.safe_load(file.read_text(encoding="utf-8")) or {}).get("nlu") or []:
            for line in str(block.get("examples") or "").splitlines():
                texts.add(line.strip().lstrip("- ").strip())
    return {text for text in texts if text}


def test_the_test_set_is_frozen_and_as_large_as_promised() -> None:
    blind = load_blind_set(BLIND_TEST)
    assert len(blind.conversations) >= 300 and len(blind.near_misses) >= 150
    assert {c.category for c in blind.conversations} == set(CATEGORIES)
    assert all(turn.route for c in blind.conversations for turn in c.turns)


def test_the_dev_set_is_frozen_and_shares_no_sentence_with_the_test_set() -> None:
    dev, test = load_blind_set(BLIND_DEV), load_blind_set(BLIND_TEST)
    assert len(dev.conversations) >= 100
    dev_texts = {turn.user for c in dev.conversations for turn in c.turns}
    test_texts = {turn.user for c in test.conversations for turn in c.turns} | {q.question for q in test.near_misses}
    assert not _long(dev_texts) & _long(test_texts)


def test_no_blind_sentence_is_in_the_training_data() -> None:
    training = _training_texts()
    assert len(training) > 1000  # the reader found the bot's examples
    blind = load_blind_set(BLIND_TEST)
    sentences = {turn.user.strip() for c in blind.conversations for turn in c.turns}
    sentences |= {q.question.strip() for q in blind.near_misses}
    assert not _long(sentences) & _long(training)


def test_a_changed_byte_is_refused(tmp_path: Path) -> None:
    copy = tmp_path / "blind"
    shutil.copytree(BLIND_TEST, copy)
    first = sorted(copy.glob("*.yml"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    with pytest.raises(LoaderError, match="changed since the set was frozen"):
        load_blind_set(copy)
    (copy / "extra.yml").write_text("conversations: []\n", encoding="utf-8")
    with pytest.raises(LoaderError, match="not the frozen ones"):
        load_blind_set(copy)


def test_jddc_route_labels_find_their_messages_and_agree_as_recorded() -> None:
    try:
        messages = load_jddc_routes()
    except LoaderError as missing:
        pytest.skip(str(missing))
    assert len(messages) == 300 and len({m.session for m in messages}) == 300
    assert all(m.text.strip() for m in messages)
    agreement = sum(m.agreed for m in messages) / len(messages)
    assert f"Agreement {agreement:.3f}" in LABELS.read_text(encoding="utf-8")


def test_the_jddc_dev_labels_are_other_messages_than_the_test_labels() -> None:
    try:
        test, dev = load_jddc_routes(), load_jddc_routes(DEV_LABELS)
    except LoaderError as missing:
        pytest.skip(str(missing))
    assert len(dev) == 200 and all(m.text.strip() for m in dev)
    assert not {m.session for m in dev} & {m.session for m in test}, "tuning on dev must not touch the test messages"
    agreement = sum(m.agreed for m in dev) / len(dev)
    assert f"Agreement {agreement:.3f}" in DEV_LABELS.read_text(encoding="utf-8")


def test_jddc_placeholders_are_played_as_the_values_they_stand_for() -> None:
    assert render_placeholders("咨询订单号:[订单x] 订单金额:[金额x] 下单时间:[日期x]") == \
        f"咨询订单号:{RENDERED_ORDER_NUMBER} 订单金额:199.00 下单时间:2026-11-20"
    assert render_placeholders("订单编号:[数字x] 还没到") == f"订单编号:{RENDERED_ORDER_NUMBER} 还没到"
    assert render_placeholders("ld[数字x]丢件了吗 联系[电话x]") == "ld2丢件了吗 联系13812345678"
    assert render_placeholders("[未知x] 不变") == "[未知x] 不变", "an unknown placeholder is left as it is"
