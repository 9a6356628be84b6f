"""RasaClient over several Rasa processes: a conversation always goes to the same one."""
from __future__ import annotations

import asyncio

import pytest

from bot.gateway.rasa_client import RasaClient, RasaUnavailable, shard_of
from tests.bot.gateway.rasa_standin import RasaStandin, free_port


def test_shard_of_is_stable_and_spreads_senders() -> None:
    senders = [f"customer-{number}" for number in range(200)]
    shards = [shard_of(sender, 2) for sender in senders]
    assert shards == [shard_of(sender, 2) for sender in senders]  # no per-process salt
    assert 70 <= shards.count(0) <= 130
    assert all(shard_of(sender, 1) == 0 for sender in senders)


def test_every_call_about_a_conversation_reaches_the_process_that_owns_it() -> None:
    async def talk(client: RasaClient, senders: list[str]) -> None:
        await asyncio.gather(*(client.send_message(sender, "你好") for sender in senders))
        for sender in senders:
            await client.append_event(sender, "pause")
            assert (await client.tracker(sender))["paused"] is True
            await client.append_event(sender, "resume")
            await client.trigger_intent(sender, "EXTERNAL_csat_request")
        assert await client.is_up()
        await client.close()

    senders = [f"web:{number}" for number in range(12)]
    with RasaStandin() as first, RasaStandin() as second:
        client = RasaClient([f"http://127.0.0.1:{first.port}", f"http://127.0.0.1:{second.port}/"], 5)
        asyncio.run(talk(client, senders))
        owners = {sender: [first, second][shard_of(sender, 2)] for sender in senders}
        assert set(first.trackers) | set(second.trackers) == set(senders)
        assert not set(first.trackers) & set(second.trackers)
        for sender, owner in owners.items():
            assert [e.get("event") for e in owner.trackers[sender]["events"]] == ["user", "pause", "resume", "user"]
        assert first.trackers and second.trackers


def test_one_process_down_makes_is_up_false_and_its_conversations_fail_clearly() -> None:
    async def check(client: RasaClient, dead_sender: str, live_sender: str) -> None:
        assert await client.is_up() is False
        assert await client.send_message(live_sender, "你好")
        with pytest.raises(RasaUnavailable):
            await client.send_message(dead_sender, "你好")
        await client.close()

    with RasaStandin() as alive:
        urls = [f"http://127.0.0.1:{alive.port}", f"http://127.0.0.1:{free_port()}"]
        client = RasaClient(urls, 2)
        senders = [f"s{number}" for number in range(20)]
        dead = next(s for s in senders if shard_of(s, 2) == 1)
        live = next(s for s in senders if shard_of(s, 2) == 0)
        asyncio.run(check(client, dead, live))


def test_a_client_needs_a_url() -> None:
    with pytest.raises(ValueError, match="at least one Rasa URL"):
        RasaClient([], 1)
