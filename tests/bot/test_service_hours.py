"""Service hours in the shop's timezone, holidays, the clock override and the config checks."""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from bot import clock
from bot.config import ConfigError, load_config
from bot.service_hours import ServiceHours, ServiceSettings

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(hour: int, minute: int, day: int = 7) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=SHANGHAI)  # 2026-12-07 is a Monday


@pytest.mark.parametrize(("hour", "minute", "open_"), [(8, 59, False), (9, 0, True), (21, 59, True), (22, 0, False)])
def test_the_edges_of_the_day(hour: int, minute: int, open_: bool) -> None:
    assert ServiceHours(ServiceSettings()).is_open(at(hour, minute)) is open_


def test_a_utc_instant_is_judged_in_the_shops_zone() -> None:
    hours = ServiceHours(ServiceSettings())
    assert hours.is_open(datetime(2026, 12, 7, 5, 18, tzinfo=timezone.utc))  # 13:18 in Shanghai
    assert not hours.is_open(datetime(2026, 12, 7, 14, 0, tzinfo=timezone.utc))  # 22:00 in Shanghai
    assert hours.is_open(datetime(2026, 12, 7, 5, 18))  # naive means UTC


def test_weekends_and_holidays_move_the_next_opening() -> None:
    hours = ServiceHours(ServiceSettings(days=("mon", "tue", "wed", "thu", "fri"), holidays=("2026-12-14",),
                                         opens="09:00", closes="18:00"))
    friday_evening = at(18, 30, day=11)
    assert not hours.is_open(at(10, 0, day=12))  # Saturday
    assert not hours.is_open(at(10, 0, day=14))  # a Monday holiday
    opening = hours.next_opening(friday_evening)
    assert opening == datetime(2026, 12, 15, 9, 0, tzinfo=SHANGHAI)
    assert hours.when_text(opening, friday_evening) == "12月15日（周二）09:00"
    assert hours.hours_text() == "周一至周五09:00–18:00"
    assert hours.when_text(hours.next_opening(at(7, 0, day=15)), at(7, 0, day=15)) == "今天09:00"


def test_the_clock_starts_at_kefu_clock_and_runs_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEFU_CLOCK", "2026-12-07T08:59:00+08:00")
    start = clock.now()
    assert abs((start - at(8, 59)).total_seconds()) < 5
    assert not ServiceHours(ServiceSettings()).is_open()
    monkeypatch.setenv("KEFU_CLOCK", "2026-12-07T09:00:30+08:00")
    assert ServiceHours(ServiceSettings()).is_open()
    monkeypatch.setenv("KEFU_CLOCK", "08:59")
    with pytest.raises(clock.ClockError, match="ISO-8601"):
        clock.now()
    monkeypatch.delenv("KEFU_CLOCK")
    assert abs((clock.now() - datetime.now(timezone.utc)).total_seconds()) < 5


@pytest.mark.parametrize(("section", "message"), [
    ("timezone: Mars/Olympus", "not an IANA timezone"),
    ("opens: '9am'", "not a time of day"),
    ("{opens: '22:00', closes: '09:00'}", "must be earlier"),
    ("days: [monday]", "use some of mon"),
    ("holidays: ['17.02.2027']", "not a date"),
    ("sla_hours: {投诉类: 0}", "positive number of hours"),
])
def test_a_wrong_service_setting_names_the_key(tmp_path, section: str, message: str) -> None:
    body = section if section.startswith("{") else "{" + section + "}"
    (tmp_path / "kefu.yml").write_text(f"service: {body}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_config(tmp_path / "kefu.yml")


def test_holidays_may_be_written_as_plain_yaml_dates(tmp_path) -> None:
    (tmp_path / "kefu.yml").write_text("service: {holidays: [2027-02-17]}\n", encoding="utf-8")
    assert load_config(tmp_path / "kefu.yml").service.holidays == ("2027-02-17",)
