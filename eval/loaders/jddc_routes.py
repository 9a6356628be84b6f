"""Real customers' first messages (JDDC, ../shared/datasets/jddc) with the route a service bot
should take, labelled blind by two annotators (eval/data/jddc_routes.tsv).

The repository keeps only the labels and JDDC's session ids, never the customers' text: the text
is read from the data set, where `first_customer_turns` picks the same message the annotators saw
(each session's first customer message with at least four Chinese characters once placeholders
and greetings are removed; the 300 sessions were drawn with `random.Random(SAMPLE_SEED)`).
"""
from __future__ import annotations

import csv
import random
import re
from dataclasses import dataclass
from pathlib import Path

from bot.environments import datasets_dir
from eval.loaders import LoaderError

LABELS = Path(__file__).resolve().parents[1] / "data" / "jddc_routes.tsv"
DEV_LABELS = LABELS.with_name("jddc_routes_dev.tsv")
"""200 further sessions of the same shuffled order (after the test's 300), labelled the same way: tune here."""
ROUTES = ("answer", "task", "handoff", "out_of_scope")
SAMPLE_SEED = 20261206
SAMPLE_SIZE = 300
_FILLER = re.compile(r"\[[^\]]*x\]|人工客服|京东快递\(移动端\)|你好|您好|在吗|在不在|亲|hi|hello|\s|[，。！？,.!?~]", re.I)


# JDDC replaced every personal value by a placeholder ("咨询订单号:[订单x] 订单金额:[金额x]"). No customer
# types "[订单x]": they send their order number, an amount, a date. The messages are played with each
# placeholder rendered as such a value (the annotators were told what each stands for), so that the
# bot meets what a customer sends; an order number is rendered in the shop's own format (10 digits),
# as an order the demo shop does not have: the bot must still ask for proof before showing anything.
RENDERED_ORDER_NUMBER = "2026119876"
PLACEHOLDER_VALUES = {"订单": RENDERED_ORDER_NUMBER, "金额": "199.00", "姓名": "张伟", "日期": "2026-11-20",
                      "时间": "10:30", "站点": "朝阳营业部", "链接": "https://item.example.com/100012.html",
                      "地址": "北京市朝阳区建国路88号", "电话": "13812345678", "组织机构": "星辰科技有限公司",
                      "身份证号": "110101199003071234", "邮箱": "zhangwei@example.com", "数字": "2"}
_NUMBERED_ORDER = re.compile(r"(订单(?:编号|号)[:：]?\s*)\[数字x\]")
_PLACEHOLDER = re.compile(r"\[([^\[\]]+?)x\]")


def render_placeholders(text: str) -> str:
    """The message as its customer sent it: each JDDC placeholder as a plausible value."""
    text = _NUMBERED_ORDER.sub(rf"\g<1>{RENDERED_ORDER_NUMBER}", text)
    return _PLACEHOLDER.sub(lambda found: PLACEHOLDER_VALUES.get(found.group(1), found.group(0)), text)


@dataclass(frozen=True)
class RoutedMessage:
    id: str
    session: str
    text: str
    route_a: str
    route_b: str

    @property
    def agreed(self) -> bool:
        return self.route_a == self.route_b


def first_customer_turns(chat_file: Path) -> dict[str, str]:
    """session id -> its first substantive customer message, in file order."""
    turns: dict[str, str] = {}
    with open(chat_file, encoding="utf-8") as lines:
        for line in lines:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 7 or parts[2] != "0" or parts[0] in turns:
                continue
            if len(re.findall(r"[\u4e00-\u9fff]", _FILLER.sub("", parts[6]))) >= 4:
                turns[parts[0]] = parts[6]
    return turns


def sample_sessions(turns: dict[str, str]) -> list[tuple[str, str]]:
    """The annotated sample: (session, text) in the order the annotators saw (ids J001...)."""
    items = list(turns.items())
    random.Random(SAMPLE_SEED).shuffle(items)
    return items[:SAMPLE_SIZE]


def load_jddc_routes(labels: Path = LABELS, chat_file: Path | None = None) -> list[RoutedMessage]:
    """The labelled messages with their text from the data set (LoaderError when it is absent)."""
    chat_file = chat_file or datasets_dir() / "jddc" / "chat_0.1per.txt"
    if not chat_file.is_file():
        raise LoaderError(f"JDDC not found at {chat_file} (set KEFU_DATASETS to the folder that holds jddc/)")
    texts = first_customer_turns(chat_file)
    with open(labels, encoding="utf-8", newline="") as rows:
        records = list(csv.DictReader((row for row in rows if not row.startswith("#")), delimiter="\t"))
    messages = []
    for record in records:
        if record["session"] not in texts:
            raise LoaderError(f"{labels}: session {record['session']} ({record['id']}) has no such message in {chat_file}")
        for key in ("route_a", "route_b"):
            if record[key] not in ROUTES:
                raise LoaderError(f"{labels}: {record['id']} {key} {record[key]!r} is not one of {', '.join(ROUTES)}")
        messages.append(RoutedMessage(record["id"], record["session"], texts[record["session"]],
                                      record["route_a"], record["route_b"]))
    return messages
