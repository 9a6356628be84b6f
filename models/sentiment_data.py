"""Training and evaluation data for the sentiment model, read from ../shared/datasets.

Polarity (negative / neutral / positive):
- reviews (online_shopping_10_cats.csv, waimai_10k.csv): label 1 positive, 0 negative. A review
  goes to the held-out test split when a hash of its normalised text says so (10%), so duplicates
  never straddle the split and the split does not depend on file order.
- CIC train + dev (never test_public, which is reported): 买家表达不满/生气 and 买家表示伤心难过 are
  negative, 买家表达赞美/满意 positive; the question intents (买家咨询…, 买家表示有疑问/不理解) and a
  few plainly neutral statements are neutral. Reviews have no neutral class: CIC supplies it.

Emotion (不满 / 愤怒 / 失望) is weakly supervised: nobody labelled it. Negative texts get a label from
lexicon cues (ANGER_CUES, DISAPPOINTMENT_CUES); CIC's 买家表达不满/生气 messages count as 愤怒 unless
a disappointment or mild-dissatisfaction cue says otherwise; everything else negative is 不满.
"""
from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from bot.environments import datasets_dir
from rasa_plugins.nlu.sentiment_model import normalise

DATASETS = datasets_dir()
REVIEW_FILES = ("sentiment/online_shopping_10_cats.csv", "sentiment/waimai_10k.csv")
CIC_TRAIN_FILES = ("cic/train.json", "cic/dev.json")
CIC_TEST_FILE = "cic/test_public.json"
ANGRY_INTENT = "买家表达不满/生气"
SAD_INTENT = "买家表示伤心难过"
PRAISE_INTENT = "买家表达赞美/满意"
NEUTRAL_STATEMENTS = {"买家打招呼", "买家表示好的", "买家表示稍等", "买家表示地址正确", "买家发送开票信息",
                      "买家发送支付宝账号", "买家表示已下单付款", "买家表示马上下单付款", "买家表示已经收到货了",
                      "买家表示商品已经寄回去了", "买家表示具体时间寄回去", "买家表示收件信息不需要修改了"}
TEST_PERCENT = 10

ANGER_CUES = ("气死", "生气", "愤怒", "火大", "恼火", "他妈", "妈的", "特么", "tm的", "卧槽", "艹", "操",
              "垃圾", "骗子", "骗人", "欺骗", "坑人", "坑爹", "黑心", "滚", "恶心", "过分", "投诉", "举报",
              "无语", "醉了", "搞笑", "什么态度", "啥态度", "态度差", "态度太差", "不负责", "忽悠", "脑残",
              "服气", "受够", "气人", "太差劲", "差劲", "去死", "无耻", "奸商", "退钱", "12315", "曝光")
DISAPPOINTMENT_CUES = ("失望", "遗憾", "可惜", "本以为", "还以为", "原以为", "以为会", "没想到", "不如预期",
                       "伤心", "难过", "心寒", "后悔", "白高兴", "期望", "期待", "哭", "唉", "哎", "算了吧")
MILD_CUES = ("不满意", "不太满意", "不喜欢", "不舒服", "一般般", "不太好", "有点")


def is_question_intent(label_des: str) -> bool:
    return label_des.startswith("买家咨询") or label_des == "买家表示有疑问/不理解"


def weak_emotion(text: str, from_angry_intent: bool = False) -> str:
    """不满 / 愤怒 / 失望 from lexicon cues (weak supervision, see the module docstring)."""
    lowered = normalise(text)
    if any(cue in lowered for cue in ANGER_CUES):
        return "愤怒"
    if any(cue in lowered for cue in DISAPPOINTMENT_CUES):
        return "失望"
    if from_angry_intent and not any(cue in lowered for cue in MILD_CUES):
        return "愤怒"
    return "不满"


def in_test_split(text: str) -> bool:
    digest = hashlib.sha256(normalise(text).encode("utf-8")).digest()
    return digest[0] * 100 // 256 < TEST_PERCENT


@dataclass
class Example:
    text: str
    polarity: str
    source: str
    emotion: str | None = None
    weight: float = 1.0


@dataclass
class SentimentData:
    train: list[Example] = field(default_factory=list)
    review_test: list[Example] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)


def require(datasets: Path, relative: str) -> Path:
    path = datasets / relative
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: the sentiment data sets live in ../shared/datasets "
                                "(see its README.md); pass --datasets to point elsewhere")
    return path


def read_reviews(datasets: Path) -> list[tuple[str, str, str]]:
    """(text, polarity, source file) for every non-empty review."""
    rows = []
    for relative in REVIEW_FILES:
        with open(require(datasets, relative), encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                text = (row.get("review") or "").strip().lstrip("\ufeff")
                if text and row.get("label") in ("0", "1"):
                    rows.append((text, "positive" if row["label"] == "1" else "negative", relative))
    return rows


def read_cic(datasets: Path, relative: str) -> list[dict]:
    with open(require(datasets, relative), encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def cic_polarity(label_des: str) -> str | None:
    if label_des in (ANGRY_INTENT, SAD_INTENT):
        return "negative"
    if label_des == PRAISE_INTENT:
        return "positive"
    if is_question_intent(label_des) or label_des in NEUTRAL_STATEMENTS:
        return "neutral"
    return None


def load_training_data(datasets: Path = DATASETS, cic_files: tuple[str, ...] = CIC_TRAIN_FILES,
                       cic_weight: float = 3.0) -> SentimentData:
    """Reviews (minus the held-out 10%) and CIC train(+dev); CIC rows weigh more (short chat turns)."""
    data = SentimentData(files=[datasets / f for f in (*REVIEW_FILES, *cic_files)])
    seen: set[str] = set()
    for text, polarity, source in read_reviews(datasets):
        key = normalise(text)
        if key in seen:
            continue
        seen.add(key)
        emotion = weak_emotion(text) if polarity == "negative" else None
        example = Example(text, polarity, source, emotion)
        (data.review_test if in_test_split(text) else data.train).append(example)
    for relative in cic_files:
        for row in read_cic(datasets, relative):
            polarity = cic_polarity(row["label_des"])
            if polarity is None:
                continue
            emotion = (weak_emotion(row["sentence"], row["label_des"] == ANGRY_INTENT)
                       if polarity == "negative" else None)
            data.train.append(Example(row["sentence"], polarity, relative, emotion, cic_weight))
    return data


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
