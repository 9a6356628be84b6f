"""Read labelled examples for `kefu data doctor`, keeping where each one came from (file, line).

Rasa NLU YAML is read line by line rather than through a YAML loader, because a designer needs the
line number of every example; only `- intent:` blocks with `examples: |` are read (synonyms,
lookup tables and regexes are not labelled examples). Entity markup is removed from the text.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

_INTENT = re.compile(r"^\s*-\s*intent:\s*(.+?)\s*$")
_OTHER_BLOCK = re.compile(r"^\s*-\s*(synonym|lookup|regex):")
_EXAMPLES = re.compile(r"^\s*examples:\s*\|")
_ITEM = re.compile(r"^\s*-\s+(.*?)\s*$")
_ENTITY = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


class DoctorDataError(ValueError):
    """The data cannot be read; the message says which file and what to change."""


@dataclass(frozen=True)
class LabelledExample:
    text: str
    intent: str
    file: str
    line: int


def plain_text(annotated: str) -> str:
    """`[HW123](order_number)要退货` -> `HW123要退货`."""
    return _ENTITY.sub(r"\1", annotated).strip().strip('"').strip("'")


def read_nlu_file(path: Path, shown_as: str) -> list[LabelledExample]:
    examples: list[LabelledExample] = []
    intent: str | None = None
    in_examples = False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if _INTENT.match(line):
            intent, in_examples = _INTENT.match(line).group(1).strip("\"'"), False
        elif _OTHER_BLOCK.match(line):
            intent, in_examples = None, False
        elif _EXAMPLES.match(line):
            in_examples = intent is not None
        elif in_examples and _ITEM.match(line):
            text = plain_text(_ITEM.match(line).group(1))
            if text:
                examples.append(LabelledExample(text, intent, shown_as, number))
        elif in_examples and line.strip() and not line.startswith((" ", "\t")):
            in_examples = False
    return examples


def read_nlu(path: Path) -> list[LabelledExample]:
    """Every intent example in a Rasa NLU YAML file or a folder of them."""
    if not path.exists():
        raise DoctorDataError(f"{path} does not exist: pass --data with a Rasa NLU YAML file or folder")
    files = sorted(p for p in path.rglob("*") if p.suffix in (".yml", ".yaml")) if path.is_dir() else [path]
    base = path if path.is_dir() else path.parent
    examples = [example for file in files for example in read_nlu_file(file, str(file.relative_to(base.parent)))]
    if not examples:
        raise DoctorDataError(f"no intent examples found in {path}: expected Rasa NLU YAML "
                              "(`- intent: name` followed by `examples: |`)")
    return examples


def read_cic(path: Path) -> list[LabelledExample]:
    """CIC JSON lines ({"sentence", "label_des"}); the line number is the line in the file."""
    if not path.exists():
        raise DoctorDataError(f"{path} does not exist: CIC lives in ../shared/datasets/cic (or pass --data)")
    examples = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            row = json.loads(line)
            examples.append(LabelledExample(row["sentence"].strip(), row["label_des"], path.name, number))
    return examples
