"""Everything the gateway's endpoints share, built once per app from the configuration."""
from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request, WebSocket

from bot.config import KefuConfig
from bot.gateway.assignment import Assigner
from bot.gateway.availability import Availability
from bot.gateway.hub import Hub
from bot.gateway.identity import IdentityVerifier
from bot.gateway.live_watch import LiveWatch
from bot.gateway.queue import HandoffQueue
from bot.gateway.rasa_client import RasaClient
from bot.gateway.ratelimit import RateLimiter
from bot.gateway.router import Router
from bot.gateway.store import Store, database_url
from bot.gateway.suggestions import Suggester
from bot.gateway.tickets import TicketDesk
from bot.service_hours import ServiceHours


@dataclass
class Services:
    config: KefuConfig
    store: Store
    queue: HandoffQueue
    rasa: RasaClient
    hub: Hub
    router: Router
    rate_limit: RateLimiter
    identity: IdentityVerifier
    desk: TicketDesk
    suggester: Suggester
    assigner: Assigner

    @classmethod
    def build(cls, config: KefuConfig) -> Services:
        settings = config.gateway
        store = Store(database_url(config))
        queue = HandoffQueue(store, settings)
        rasa = RasaClient(config.rasa_urls(), settings.rasa_timeout_s)
        hub = Hub()
        hours = ServiceHours(config.service)
        desk = TicketDesk(store, settings, hours)
        router = Router(store, queue, rasa, hub, settings, Availability(store, hours), desk)
        suggester = Suggester(config)
        router.watch = LiveWatch(store, hub, router.risk, suggester)
        assigner = Assigner(store, queue, hub, config.desk)
        router.assigner = assigner
        return cls(config, store, queue, rasa, hub, router, RateLimiter(settings.rate_limit_per_minute),
                   IdentityVerifier(config), desk, suggester, assigner)


def services_of(connection: Request | WebSocket) -> Services:
    return connection.app.state.services
