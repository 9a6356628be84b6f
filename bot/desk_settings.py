"""The agent desk's settings (`desk:` in kefu.yml): transfer groups, which groups get conversations
pushed to an agent instead of waiting for a claim, how long an offer stands, suggested answers and
the shared quick replies (话术库). Validated at load with errors that name the key."""
from __future__ import annotations

from dataclasses import dataclass

ASSIGNMENT_MODES = ("claim", "push")


@dataclass(frozen=True)
class DeskSettings:
    groups: tuple[str, ...] = ("咨询", "售后", "投诉")  # the agent groups; the console's transfer list
    push_groups: tuple[str, ...] = ()  # these groups' conversations are offered to the best agent (智能路由)
    offer_seconds: float = 20.0  # an offer not accepted within this goes to the next agent
    suggestions: int = 3  # knowledge answers shown beside the reply box
    quick_replies: str = ""  # a YAML file of shared quick replies (话术库), relative to the project


def check_desk_settings(settings: DeskSettings, where: str) -> list[str]:
    """Every problem with the settings, each naming the key to change (empty: valid)."""
    problems = []
    if not settings.groups or any(not group.strip() for group in settings.groups):
        problems.append(f"{where} > groups: list the agent groups by name, e.g. [咨询, 售后, 投诉]")
    unknown = [group for group in settings.push_groups if group not in settings.groups]
    if unknown:
        problems.append(f"{where} > push_groups: {unknown} are not in {where} > groups {list(settings.groups)}")
    if settings.offer_seconds < 3:
        problems.append(f"{where} > offer_seconds: give an agent at least 3 seconds to accept (got {settings.offer_seconds})")
    if not 1 <= settings.suggestions <= 10:
        problems.append(f"{where} > suggestions: between 1 and 10 (got {settings.suggestions})")
    return problems
