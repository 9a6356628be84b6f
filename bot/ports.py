"""Loopback ports: is one free, and free ones for a stack that must not collide with another
(tests, `kefu eval`, `kefu bench` start their stacks on these)."""
from __future__ import annotations

import socket


def port_is_free(host: str, port: int) -> bool:
    """Whether a server could listen on `port`. Like the servers themselves: connections in
    TIME_WAIT from a stack that just stopped do not count as "in use"; a live listener does."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def free_port_run(count: int, attempts: int = 50) -> int:
    """The first of `count` consecutive free loopback ports (Rasa's processes use ports.rasa + i)."""
    for _ in range(attempts):
        first = free_port()
        following = range(first + 1, first + count)
        if first + count - 1 <= 65535 and all(port_is_free("127.0.0.1", port) for port in following):
            return first
    raise OSError(f"found no {count} consecutive free loopback ports in {attempts} attempts")


def free_stack_ports(rasa_workers: int = 1) -> dict[str, int]:
    """`ports:` for a kefu.yml on free loopback ports: gateway, actions, and a run of
    `rasa_workers` consecutive ports starting at `rasa`; no two services share one."""
    rasa = free_port_run(rasa_workers)
    taken = set(range(rasa, rasa + rasa_workers))
    others: list[int] = []
    while len(others) < 2:
        port = free_port()
        if port not in taken:
            taken.add(port)
            others.append(port)
    return {"gateway": others[0], "rasa": rasa, "actions": others[1]}
