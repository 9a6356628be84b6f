"""`kefu data doctor`'s analysis on NLU data written here with known, injected problems."""
from __future__ import annotations

from pathlib import Path

import pytest

from eval.nlu.doctor import diagnose, same_text_key
from eval.nlu.doctor_data import DoctorDataError, plain_text, read_nlu

CLEAN = {
    "track_parcel": ["我的快递到哪了", "快递到哪里了", "查一下快递到哪了", "包裹到哪了", "帮我查查快递",
                     "快递现在到哪了", "我的包裹到哪里了", "看看快递到哪了", "查快递", "快递到了吗",
                     "包裹现在在哪", "帮我看看包裹到哪了"],
    "invoice": ["怎么开发票", "可以开发票吗", "发票怎么开", "我要开发票", "能开专票吗", "开个发票",
                "发票在哪里开", "电子发票怎么开", "帮我开发票", "发票能开吗", "我需要发票", "开发票要多久"],
    "return_goods": ["我要退货", "怎么退货", "可以退货吗", "申请退货", "退货怎么弄", "这个能退货吗",
                     "帮我退货", "我想退货", "退货流程", "退货要多久", "不想要了要退货", "退货地址是哪"],
    "thanks": ["谢谢", "谢谢你", "太感谢了", "谢谢啦", "多谢", "非常感谢", "感谢感谢", "谢谢客服",
               "好的谢谢", "辛苦了谢谢", "谢谢亲", "万分感谢"],
}
# (intent it is filed under, text): what the doctor must find
MISLABELLED = [("thanks", "帮我查一下快递到哪里了"), ("track_parcel", "电子发票能开吗")]
CONFLICT = ("invoice", "我要退货")              # the same text is already under return_goods
NEAR_DUPLICATE = ("thanks", "我想退货啊")         # 我想退货 is under return_goods
DUPLICATE = ("invoice", "发票怎么开！")            # 发票怎么开 already under invoice


def write_nlu(folder: Path) -> tuple[Path, dict[tuple[str, str], int]]:
    """The YAML file and the line number of every injected example."""
    extra: dict[str, list[str]] = {name: [] for name in CLEAN}
    for intent, text in [*MISLABELLED, CONFLICT, NEAR_DUPLICATE, DUPLICATE]:
        extra[intent].append(text)
    lines = ['version: "3.1"', "nlu:"]
    where: dict[tuple[str, str], int] = {}
    for intent, examples in CLEAN.items():
        lines += [f"- intent: {intent}", "  examples: |"]
        for text in examples + extra[intent]:
            lines.append(f"    - {text}")
            if text in extra[intent]:
                where[(intent, text)] = len(lines)
    lines += ["- synonym: 快递", "  examples: |", "    - 包裹"]
    path = folder / "nlu_data" / "demo.yml"
    path.parent.mkdir(parents=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, where


def test_the_doctor_reports_exactly_the_injected_problems(tmp_path: Path) -> None:
    path, where = write_nlu(tmp_path)
    findings = diagnose(read_nlu(path.parent), folds=5)
    original = {text: line for line, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)}
    found = {(f.kind, frozenset({f.line, f.other.line if f.other else f.line})) for f in findings}
    expected = {("suspect label", frozenset({where[MISLABELLED[0]]})),
                ("suspect label", frozenset({where[MISLABELLED[1]]})),
                ("conflict", frozenset({where[CONFLICT], original["    - 我要退货"]})),
                ("near-duplicate", frozenset({where[NEAR_DUPLICATE], original["    - 我想退货"]})),
                ("duplicate", frozenset({where[DUPLICATE], original["    - 发票怎么开"]}))}
    assert found == expected, "\n".join(f"{f.kind} {f.line} {f.text} {f.intent}->{f.suggested} {f.confidence:.2f}"
                                        for f in findings)
    assert all(f.file == "nlu_data/demo.yml" for f in findings)
    suggested = {f.line: f.suggested for f in findings if f.kind == "suspect label"}
    assert suggested == {where[MISLABELLED[0]]: "track_parcel", where[MISLABELLED[1]]: "invoice"}


def test_clean_data_has_no_findings(tmp_path: Path) -> None:
    folder = tmp_path / "nlu_data"
    folder.mkdir()
    body = "".join(f"- intent: {intent}\n  examples: |\n" + "".join(f"    - {t}\n" for t in texts)
                   for intent, texts in CLEAN.items())
    (folder / "clean.yml").write_text('version: "3.1"\nnlu:\n' + body, encoding="utf-8")
    assert diagnose(read_nlu(folder), folds=5) == []


def test_entity_markup_and_line_numbers_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "nlu.yml"
    path.write_text('version: "3.1"\nnlu:\n- intent: inform\n  examples: |\n    - [HW123](order_number)要退货\n'
                    '    - 订单号是[HW9]{"entity": "order_number"}\n- lookup: product\n  examples: |\n    - 袜子\n',
                    encoding="utf-8")
    examples = read_nlu(path)
    assert [(e.text, e.intent, e.line) for e in examples] == [("HW123要退货", "inform", 5),
                                                              ("订单号是HW9", "inform", 6)]
    assert plain_text("[羊毛衫](product)想退") == "羊毛衫想退"


def test_same_text_ignores_width_case_and_punctuation_but_not_digits() -> None:
    assert same_text_key("ＨＷ退货！") == same_text_key("hw 退货")
    assert same_text_key("88") != same_text_key("2026110003")


def test_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DoctorDataError, match="does not exist"):
        read_nlu(tmp_path / "nope")


def write_examples(path: Path, examples: list) -> dict[int, tuple[str, str]]:
    """Rasa YAML of (text, intent) pairs; returns line -> (text, intent)."""
    lines, at = ['version: "3.1"', "nlu:"], {}
    for intent in sorted({intent for _text, intent in examples}):
        lines += [f"- intent: {intent}", "  examples: |"]
        for text, label in examples:
            if label == intent:
                lines.append(f"    - {text}")
                at[len(lines)] = (text, intent)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return at


def test_injected_label_flips_in_the_demo_data_are_found_with_high_precision(tmp_path: Path) -> None:
    """Flip FLIPS labels in a copy of the demo bot's nlu_data, in DRAWS independent draws; the new
    suspect labels, pooled over the draws, must be mostly those flips (precision) and catch many of
    them (recall). Findings the clean copy already had are the data's own issues and are left out
    of both counts. One draw of 40 flips swings precision by +-0.1, hence the pooling."""
    import random

    from bot.environments import CODE_ROOT

    demo = [(e.text, e.intent) for e in read_nlu(CODE_ROOT / "nlu_data")]
    intents = sorted({intent for _t, intent in demo})
    clean_lines = write_examples(tmp_path / "clean.yml", demo)

    def suspects(path: Path, at: dict) -> set[str]:
        return {at[f.line][0] for f in diagnose(read_nlu(path), folds=5)
                if f.kind in ("suspect label", "conflict", "near-duplicate")}

    before = suspects(tmp_path / "clean.yml", clean_lines)
    found, caught, not_flips = 0, 0, set()
    for seed in DRAWS:
        rng = random.Random(seed)
        flipped_at = set(rng.sample(range(len(demo)), FLIPS))
        noisy = [(text, rng.choice([i for i in intents if i != intent]) if n in flipped_at else intent)
                 for n, (text, intent) in enumerate(demo)]
        noisy_lines = write_examples(tmp_path / f"noisy-{seed}.yml", noisy)
        new = suspects(tmp_path / f"noisy-{seed}.yml", noisy_lines) - before
        flipped_texts = {demo[n][0] for n in flipped_at}
        found += len(new)
        caught += len(new & flipped_texts)
        not_flips |= new - flipped_texts
    precision, recall = caught / max(1, found), caught / (FLIPS * len(DRAWS))
    print(f"injected {FLIPS} flips x {len(DRAWS)} draws: {found} new findings, {caught} of them flips; "
          f"precision {precision:.2f}, recall {recall:.2f}")
    # measured 2026-11-23 on that day's demo data (2,083 examples, one draw): precision 0.80, recall
    # 0.60. Measured 2026-11-24 after the ask_policy intent (2,134 examples, five draws, seeds 11-15):
    # pooled precision 0.70, recall 0.46; the question/request boundary holds more borderline
    # examples, which turn suspect when a neighbour is flipped (e.g. 保温杯保温多久 next to 保修多久).
    # The floors below catch a regression, not a tuned pass mark.
    assert precision >= 0.60 and recall >= 0.35, (precision, recall, sorted(not_flips))


DRAWS = (11, 12, 13)
FLIPS = 40
