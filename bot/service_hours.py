"""When people answer: the shop's service hours, days and holidays in its own timezone.

One definition (`service:` in kefu.yml) used by the actions, which tell a customer whether a person
can take over now, and by the gateway, which decides whether to promise a wait or open a ticket.
Everything is computed in the shop's timezone, whatever the server's clock zone is. The standard
library only: the action server imports this module too.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot import clock

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
DEFAULT_SLA_HOURS = {"投诉类": 24.0, "故障类": 48.0, "操作类": 48.0, "咨询类": 48.0, "建议类": 72.0}


@dataclass(frozen=True)
class ServiceSettings:
    """`service:` in kefu.yml. The bot answers around the clock; these are the people's hours."""

    timezone: str = "Asia/Shanghai"
    opens: str = "09:00"
    closes: str = "22:00"
    days: tuple[str, ...] = WEEKDAYS
    holidays: tuple[str, ...] = ()  # dates people are off, YYYY-MM-DD in the shop's timezone
    sla_hours: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_SLA_HOURS))
    """Tickets: hours to resolve, per problem class (bot/handoff.PROBLEM_CLASSES); others get `default_sla_hours`."""
    default_sla_hours: float = 48.0
    followup_after_hours: float = 24.0  # a closed ticket's follow-up (回访) asks the customer this long after closing


def _clock_time(value: str, where: str) -> time:
    try:
        hours, minutes = value.split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        raise ValueError(f"{where}: {value!r} is not a time of day like 09:00") from None


def check_service_settings(settings: ServiceSettings, where: str) -> list[str]:
    """Every problem with the settings, each naming the key to change (empty: valid)."""
    problems = []
    try:
        ZoneInfo(settings.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(f"{where} > timezone: {settings.timezone!r} is not an IANA timezone such as Asia/Shanghai")
    for key in ("opens", "closes"):
        try:
            _clock_time(getattr(settings, key), f"{where} > {key}")
        except ValueError as error:
            problems.append(str(error))
    if not problems and _clock_time(settings.opens, "") >= _clock_time(settings.closes, ""):
        problems.append(f"{where}: opens ({settings.opens}) must be earlier than closes ({settings.closes})")
    unknown = [day for day in settings.days if day not in WEEKDAYS]
    if unknown or not settings.days:
        problems.append(f"{where} > days: use some of {', '.join(WEEKDAYS)} (got {list(settings.days)})")
    for holiday in settings.holidays:
        try:
            date.fromisoformat(holiday)
        except ValueError:
            problems.append(f"{where} > holidays: {holiday!r} is not a date like 2027-02-17")
    if any(hours <= 0 for hours in settings.sla_hours.values()) or settings.default_sla_hours <= 0 \
            or settings.followup_after_hours <= 0:
        problems.append(f"{where} > sla_hours: every deadline (and followup_after_hours) must be a positive number of hours")
    return problems


class ServiceHours:
    """Questions about the shop's hours, answered for an instant (default: `clock.now()`)."""

    def __init__(self, settings: ServiceSettings) -> None:
        self.settings = settings
        self.zone = ZoneInfo(settings.timezone)
        self.opens = _clock_time(settings.opens, "service > opens")
        self.closes = _clock_time(settings.closes, "service > closes")
        self.days = {WEEKDAYS.index(day) for day in settings.days}
        self.holidays = {date.fromisoformat(day) for day in settings.holidays}

    def local(self, instant: datetime | None = None) -> datetime:
        """`instant` (aware; naive means UTC) in the shop's timezone."""
        instant = instant or clock.now()
        if instant.tzinfo is None:
            instant = instant.replace(tzinfo=ZoneInfo("UTC"))
        return instant.astimezone(self.zone)

    def works_on(self, day: date) -> bool:
        return day.weekday() in self.days and day not in self.holidays

    def is_open(self, instant: datetime | None = None) -> bool:
        local = self.local(instant)
        return self.works_on(local.date()) and self.opens <= local.time() < self.closes

    def next_opening(self, instant: datetime | None = None) -> datetime:
        """When people are next at work: `instant` itself when open, else the next opening time."""
        local = self.local(instant)
        if self.is_open(local):
            return local
        day = local.date()
        if self.works_on(day) and local.time() < self.opens:
            return datetime.combine(day, self.opens, self.zone)
        for _ in range(400):
            day += timedelta(days=1)
            if self.works_on(day):
                return datetime.combine(day, self.opens, self.zone)
        raise ValueError("service: no working day in the next 400 days; check days and holidays")

    def hours_text(self) -> str:
        """"每天09:00–22:00" or "周一至周五09:00–18:00"."""
        span = f"{self.opens:%H:%M}–{self.closes:%H:%M}"
        days = sorted(self.days)
        if len(days) == 7:
            return f"每天{span}"
        if days == list(range(days[0], days[-1] + 1)) and len(days) > 2:
            return f"{WEEKDAY_NAMES[days[0]]}至{WEEKDAY_NAMES[days[-1]]}{span}"
        return "、".join(WEEKDAY_NAMES[day] for day in days) + span

    def when_text(self, moment: datetime, instant: datetime | None = None) -> str:
        """A moment in words relative to now: "今天09:00", "明天09:00", "12月9日（周三）09:00"."""
        today = self.local(instant).date()
        local = self.local(moment)
        if local.date() == today:
            prefix = "今天"
        elif local.date() == today + timedelta(days=1):
            prefix = "明天"
        else:
            prefix = f"{local.month}月{local.day}日（{WEEKDAY_NAMES[local.weekday()]}）"
        return f"{prefix}{local:%H:%M}"

    def sla_hours(self, problem_class: str) -> float:
        return self.settings.sla_hours.get(problem_class, self.settings.default_sla_hours)
