"""Named loaders for the public data sets in ../shared/datasets (or $KEFU_DATASETS).

They are never copied into the repository; a missing folder is a clean skip with a message
saying where the data is expected, never an error.
"""
from __future__ import annotations

from pathlib import Path

from bot.environments import datasets_dir

# name -> files that must exist under datasets_dir()/name
KNOWN = {
    "cic": ("train.json", "test_public.json"),
    "clinc150": ("data_full.json",),
    "banking77": ("train.csv", "test.csv"),
}


class DatasetMissing(LookupError):
    """The named data set is not on this machine; the message says where it is looked for."""


def dataset_folder(name: str) -> Path:
    if name not in KNOWN:
        raise ValueError(f"unknown data set {name!r}; named data sets: {', '.join(KNOWN)} (or give a file path)")
    folder = datasets_dir() / name
    missing = [f for f in KNOWN[name] if not (folder / f).exists()]
    if missing:
        raise DatasetMissing(f"data set {name!r} not found: expected {', '.join(missing)} in {folder} "
                             "(set KEFU_DATASETS to the folder that holds it)")
    return folder
