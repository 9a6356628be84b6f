"""The `desk:` section of kefu.yml: groups, push groups, offers, suggestions, quick replies."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, load_config


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kefu.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_defaults_name_the_groups_routing_sends_to(tmp_path: Path) -> None:
    desk = load_config(write(tmp_path, "")).desk
    assert desk.groups == ("咨询", "售后", "投诉") and desk.push_groups == () and desk.suggestions == 3


def test_a_push_group_must_be_a_group(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"desk > push_groups: \['VIP'\] are not in kefu.yml > desk > groups"):
        load_config(write(tmp_path, "desk: {push_groups: [VIP]}\n"))


def test_every_group_routing_names_must_be_listed(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"desk > groups: add \['投诉', '售后'\]|desk > groups: add \['售后', '投诉'\]"):
        load_config(write(tmp_path, "desk: {groups: [咨询]}\n"))


def test_offers_need_time_and_suggestions_a_sane_count(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="offer_seconds: give an agent at least 3 seconds"):
        load_config(write(tmp_path, "desk: {offer_seconds: 1}\n"))
    with pytest.raises(ConfigError, match="suggestions: between 1 and 10"):
        load_config(write(tmp_path, "desk: {suggestions: 0}\n"))


def test_a_missing_quick_replies_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"desk > quick_replies: .*nope.yml is not a file"):
        load_config(write(tmp_path, "desk: {quick_replies: nope.yml}\n"))
