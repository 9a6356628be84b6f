"""Quick replies: the shared file is checked item by item, seeded once, and variables filled or named."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.gateway.quick_replies import QuickReplyError, load_shared, render, seed_shared
from bot.gateway.store import Store

REPO = Path(__file__).resolve().parents[3]


def test_the_demo_library_loads_and_seeds_only_an_empty_store(tmp_path: Path) -> None:
    items = load_shared(REPO / "desk" / "quick_replies.yml")
    assert {item["shortcut"] for item in items} >= {"问候", "退款", "安抚"}
    store = Store(f"sqlite:///{tmp_path / 'gateway.db'}")
    assert seed_shared(store, REPO / "desk" / "quick_replies.yml") == len(items)
    assert seed_shared(store, REPO / "desk" / "quick_replies.yml") == 0  # console edits are kept
    store.close()


@pytest.mark.parametrize("text, problem", [
    ("- {shortcut: 退款, title: 退款}\n", "item 1: 话术内容不能为空"),
    ("- {shortcut: 'a b', title: t, text: x}\n", "item 1: 快捷码"),
    ("- {shortcut: ok, title: t, text: x, extra: 1}\n", "item 1 must have only shortcut, title and text"),
    ("shortcut: ok\n", "expected a list"),
    ("- [unclosed\n", "cannot read the quick replies"),
])
def test_a_bad_library_file_says_which_item_and_what(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "replies.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(QuickReplyError, match=problem):
        load_shared(path)


def test_variables_are_filled_and_the_unknown_ones_named() -> None:
    filled = render("{客户}您好，订单{订单号}由{客服}跟进", {"客户": "", "订单号": None, "客服": "小王"})
    assert filled.text == "您好，订单{订单号}由小王跟进" and filled.missing == ["订单号"]
    assert render("{未知}原样保留", {}).text == "{未知}原样保留"
