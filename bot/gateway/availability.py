"""Can a person take this conversation now? Service hours and who is online, in one answer.

The gateway asks before it promises a wait: within the shop's hours (bot/service_hours.py, the same
definition the bot's handoff words use) and with an agent of the conversation's group (or a
supervisor) online, the customer hears their place and the wait. Otherwise they hear plainly that
nobody can take it now, when people are back, and the number of the ticket that keeps their
request, and no wait time is shown.
"""
from __future__ import annotations

from dataclasses import dataclass

from bot.gateway.agents import has_role
from bot.gateway.models import Ticket
from bot.gateway.store import Store
from bot.service_hours import ServiceHours


@dataclass(frozen=True)
class Staffing:
    open_now: bool
    agents_online: int

    @property
    def staffed(self) -> bool:
        return self.open_now and self.agents_online > 0


class Availability:
    def __init__(self, store: Store, hours: ServiceHours) -> None:
        self.store, self.hours = store, hours

    def for_group(self, group: str) -> Staffing:
        online = [agent for agent in self.store.online_agents()
                  if group in agent.group_list or has_role(agent, "supervisor")]
        return Staffing(self.hours.is_open(), len(online))

    def waiting_text(self, position: int, wait_minutes: int) -> str:
        return f"您前面还有{max(position - 1, 0)}位，预计等待约{wait_minutes}分钟。等待时可以继续留言，客服接入后会看到。"

    def unstaffed_text(self, staffing: Staffing, ticket: Ticket) -> str:
        """Nobody can take the conversation now: why, when people are back, and the ticket."""
        number = ticket.reference or ticket.number
        if not staffing.open_now:
            back = self.hours.when_text(self.hours.next_opening())
            return (f"现在是非工作时间（人工客服{self.hours.hours_text()}在线）。已为您登记工单{number}，"
                    f"客服{back}上班后会优先处理并联系您，不用一直等待；有补充可以直接留言。")
        return (f"现在人工客服都不在线，暂时无法马上接通。已为您登记工单{number}，客服上线后会优先处理并联系您，"
                "不用一直等待；有补充可以直接留言。")

    def queued_text(self, ticket: Ticket | None, position: int | None, wait_minutes: int | None) -> str:
        """What a queued customer hears for each further message."""
        if ticket is not None:
            return f"您的留言已记入工单{ticket.reference or ticket.number}，客服处理时会看到，请放心。"
        if position is None or wait_minutes is None:
            return "您的消息已收到，人工客服接入后会第一时间看到，请稍候。"
        return (f"您的消息已收到，人工客服接入后会第一时间看到。您前面还有{max(position - 1, 0)}位，"
                f"预计等待约{wait_minutes}分钟。")
