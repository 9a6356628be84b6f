"""The stack's one configuration file (`kefu.yml`), loaded and validated before anything starts.

Every key has a default, so an empty or missing file is valid. Unknown keys and wrong types are
errors that name the key and say what is allowed: a typo must not silently fall back to a default.
"""
from __future__ import annotations

import dataclasses
import datetime
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.desk_settings import DeskSettings, check_desk_settings
from bot.handoff import DEFAULT_ROUTING, GATEWAY_RISK_WORDS
from bot.service_hours import ServiceSettings, check_service_settings
from retrieval.config import RetrievalConfig
from retrieval.settings_builder import ConfigError as SettingsError
from retrieval.settings_builder import build

DEFAULT_CONFIG_NAME = "kefu.yml"


class ConfigError(SettingsError):
    """A configuration problem, phrased so that the user knows what to change. Loading uses the
    typed builder shared with the retrieval library (`retrieval.settings_builder`)."""


@dataclass(frozen=True)
class Ports:
    gateway: int = 8000
    rasa: int = 5005
    actions: int = 5055


@dataclass(frozen=True)
class Paths:
    var: str = "var"
    models: str = "var/models"
    knowledge: str = "knowledge"
    index: str = "var/index"


@dataclass(frozen=True)
class RasaSettings:
    domain: str = "domain.yml"
    config: str = "config.yml"
    endpoints: str = "endpoints.yml"
    credentials: str = "credentials.yml"
    training_data: tuple[str, ...] = ("nlu_data", "stories")
    ready_timeout_s: float = 300.0
    workers: int = 1
    """Rasa server processes. Each serves a fixed share of the conversations (the gateway picks one
    by a hash of the sender) on ports `ports.rasa`, `ports.rasa + 1`, ...; one process does the CPU
    work of every turn in turn, so a second one lets a 2-core machine answer two turns at once."""


@dataclass(frozen=True)
class GatewaySettings:
    rasa_timeout_s: float = 15.0
    max_message_chars: int = 2000
    database_url: str = ""  # empty: the SQLite file $KEFU_GATEWAY_DB, else <paths.var>/gateway.db
    risk_words: tuple[str, ...] = GATEWAY_RISK_WORDS
    risk_model: bool = True  # the e5 risk classifier (bot/risk/) reads every message; false: risk words only
    # A customer's answer to a form's request for one of these slots is a value (an address, a
    # number), not a description of their situation: the risk check does not read it.
    value_slots: tuple[str, ...] = ("new_address", "order_number", "phone_tail")
    routing: tuple[str, ...] = DEFAULT_ROUTING
    default_group: str = "咨询"
    agent_max_concurrency: int = 3
    agent_session_hours: float = 12.0
    average_handling_minutes: float = 6.0
    idle_reminder_minutes: float = 25.0
    idle_close_minutes: float = 30.0
    idle_check_seconds: float = 30.0
    rate_limit_per_minute: int = 30
    csat_intent: str = ""  # e.g. EXTERNAL_csat_request when the domain has it; empty: the gateway asks
    seed_demo_agents: bool = False  # demo mode: create the demo agents of docs/handoff.md (published passwords)


@dataclass(frozen=True)
class IdentitySettings:
    """How the gateway learns who a customer is (bot/gateway/identity.py, docs/security.md).

    A shop's site signs a short-lived JWT for its logged-in customer; only such a token makes a
    conversation the account's own. Everybody else is a guest who proves an order with the phone."""

    algorithm: str = "HS256"  # HS256: a secret shared with the shop's site; RS256: the site's public key
    key_file: str = ""  # HS256: the secret (empty: <paths.var>/identity.key, made at first start); RS256: a PEM public key
    issuer: str = ""  # when set, a token must carry this `iss`
    audience: str = ""  # when set, a token must carry this `aud`
    leeway_s: float = 30.0  # clock difference tolerated on `exp`
    max_lifetime_hours: float = 24.0  # a token whose exp is further away than this is refused


IDENTITY_ALGORITHMS = ("HS256", "RS256")


@dataclass(frozen=True)
class TlsSettings:
    """HTTPS and WSS for the gateway, served by uvicorn itself; empty: plain HTTP (docs/security.md
    shows a reverse proxy as the production alternative)."""

    cert: str = ""  # PEM certificate (chain) file
    key: str = ""  # PEM private key file

    @property
    def enabled(self) -> bool:
        return bool(self.cert)


@dataclass(frozen=True)
class PrivacySettings:
    retention_days: float = 365.0  # `kefu data purge` deletes conversations that ended longer ago than this


@dataclass(frozen=True)
class Persona:
    """Who the bot is to its customers; library code never names the bot or the shop."""

    bot_name: str = "客服"
    company: str = ""


@dataclass(frozen=True)
class KefuConfig:
    """Validated settings; `root` is the project folder every relative path is resolved from."""

    root: Path = Path(".")
    host: str = "127.0.0.1"
    ports: Ports = field(default_factory=Ports)
    paths: Paths = field(default_factory=Paths)
    rasa: RasaSettings = field(default_factory=RasaSettings)
    gateway: GatewaySettings = field(default_factory=GatewaySettings)
    persona: Persona = field(default_factory=Persona)
    identity: IdentitySettings = field(default_factory=IdentitySettings)
    privacy: PrivacySettings = field(default_factory=PrivacySettings)
    tls: TlsSettings = field(default_factory=TlsSettings)
    service: ServiceSettings = field(default_factory=ServiceSettings)
    """People's hours, timezone, holidays and ticket deadlines (bot/service_hours.py)."""
    desk: DeskSettings = field(default_factory=DeskSettings)
    """The agent desk: groups, push assignment, suggestions, quick replies (bot/desk_settings.py)."""
    retrieval: RetrievalConfig = field(default_factory=RetrievalConfig)
    """Settings of the retrieval library; its two folders come from `paths` (see
    `bot.knowledge_index.retrieval_settings`), so they may not be set here."""

    def path(self, relative: str) -> Path:
        """Resolve a configured path against the project root."""
        candidate = Path(relative)
        return candidate if candidate.is_absolute() else self.root / candidate

    def url(self, service: str) -> str:
        """Base URL of one of the stack's services: `gateway`, `rasa` (its first process) or `actions`.
        The gateway speaks HTTPS when `tls` is set; the others listen on loopback only."""
        scheme = "https" if service == "gateway" and self.tls.enabled else "http"
        return f"{scheme}://{self.host}:{getattr(self.ports, service)}"

    def rasa_ports(self) -> list[int]:
        """One port per Rasa process (`rasa.workers`), counting up from `ports.rasa`."""
        return [self.ports.rasa + offset for offset in range(self.rasa.workers)]

    def rasa_urls(self) -> list[str]:
        return [f"http://{self.host}:{port}" for port in self.rasa_ports()]


def load_config(path: str | Path | None = None, root: str | Path | None = None) -> KefuConfig:
    """Load `kefu.yml` (or `$KEFU_CONFIG`, or `path`) and validate it.

    `root` defaults to the folder holding the config file. Environment variables
    `KEFU_PORT_GATEWAY`, `KEFU_PORT_RASA` and `KEFU_PORT_ACTIONS` override the ports, which is how
    tests and a second stack on one machine pick free ports without editing the file.
    """
    config_path = Path(path or os.environ.get("KEFU_CONFIG") or DEFAULT_CONFIG_NAME).resolve()
    raw: dict[str, Any] = {}
    if config_path.exists():
        try:
            loaded = yaml.safe_load(config_path.read_text(encoding="utf-8"))
        except yaml.YAMLError as error:
            raise ConfigError(f"{config_path}: not valid YAML ({error})") from error
        if loaded is not None and not isinstance(loaded, dict):
            raise ConfigError(f"{config_path}: the top level must be a mapping of keys, not {type(loaded).__name__}")
        raw = loaded or {}
    elif path is not None:
        raise ConfigError(f"config file {config_path} does not exist")
    raw = _apply_port_overrides(raw)
    raw = _holidays_as_text(raw)
    _check_retrieval_folders(raw.get("retrieval"), config_path.name)
    project_root = Path(root).resolve() if root else config_path.parent
    config = build(KefuConfig, raw, str(config_path.name), extra={"root": project_root}, error=ConfigError)
    _check_semantics(config, config_path.name)
    return config


def _holidays_as_text(raw: dict[str, Any]) -> dict[str, Any]:
    """YAML reads an unquoted `2027-02-17` as a date; the settings keep dates as ISO text."""
    service = raw.get("service")
    if isinstance(service, dict) and isinstance(service.get("holidays"), list):
        holidays = [day.isoformat() if isinstance(day, datetime.date) else day for day in service["holidays"]]
        return {**raw, "service": {**service, "holidays": holidays}}
    return raw


def _apply_port_overrides(raw: dict[str, Any]) -> dict[str, Any]:
    ports = dict(raw.get("ports") or {})
    for service in ("gateway", "rasa", "actions"):
        value = os.environ.get(f"KEFU_PORT_{service.upper()}")
        if value:
            try:
                ports[service] = int(value)
            except ValueError as error:
                raise ConfigError(f"KEFU_PORT_{service.upper()}={value!r} is not a port number") from error
    return {**raw, "ports": ports} if ports else raw


def _check_semantics(config: KefuConfig, where: str) -> None:
    ports = dataclasses.asdict(config.ports)
    for service, port in ports.items():
        if not 1 <= port <= 65535:
            raise ConfigError(f"{where} > ports > {service}: {port} is not a TCP port (1-65535)")
    if len(set(ports.values())) != len(ports):
        raise ConfigError(f"{where} > ports: each service needs its own port, got {ports}")
    _check_rasa_workers(config, where)
    if config.rasa.ready_timeout_s <= 0 or config.gateway.rasa_timeout_s <= 0:
        raise ConfigError(f"{where}: timeouts must be positive numbers of seconds")
    if config.gateway.max_message_chars < 1:
        raise ConfigError(f"{where} > gateway > max_message_chars: must be at least 1")
    gateway = config.gateway
    if any("=" not in rule for rule in gateway.routing):
        raise ConfigError(f"{where} > gateway > routing: each rule is '<problem class>=<agent group>'")
    if gateway.idle_reminder_minutes <= 0 or gateway.idle_close_minutes <= gateway.idle_reminder_minutes:
        raise ConfigError(f"{where} > gateway: idle_close_minutes must be greater than idle_reminder_minutes (> 0)")
    if gateway.agent_max_concurrency < 1 or gateway.rate_limit_per_minute < 1:
        raise ConfigError(f"{where} > gateway: agent_max_concurrency and rate_limit_per_minute must be at least 1")
    if config.identity.algorithm not in IDENTITY_ALGORITHMS:
        raise ConfigError(f"{where} > identity > algorithm: {config.identity.algorithm!r} is not one of "
                          f"{', '.join(IDENTITY_ALGORITHMS)} (HS256: a shared secret, RS256: the shop's public key)")
    _check_tls(config, where)
    if config.privacy.retention_days <= 0:
        raise ConfigError(f"{where} > privacy > retention_days: must be a positive number of days")
    if config.identity.leeway_s < 0 or config.identity.max_lifetime_hours <= 0:
        raise ConfigError(f"{where} > identity: leeway_s must be >= 0 and max_lifetime_hours > 0")
    if problems := check_service_settings(config.service, f"{where} > service"):
        raise ConfigError("; ".join(problems))
    if problems := check_desk_settings(config.desk, f"{where} > desk"):
        raise ConfigError("; ".join(problems))
    routed = {rule.split("=", 1)[1] for rule in config.gateway.routing} | {config.gateway.default_group}
    if missing := sorted(routed - set(config.desk.groups)):
        raise ConfigError(f"{where} > desk > groups: add {missing}, the groups gateway > routing / default_group send "
                          f"conversations to (now {list(config.desk.groups)})")
    if config.desk.quick_replies and not config.path(config.desk.quick_replies).is_file():
        raise ConfigError(f"{where} > desk > quick_replies: {config.path(config.desk.quick_replies)} is not a file")


MAX_RASA_WORKERS = 8


def _check_tls(config: KefuConfig, where: str) -> None:
    tls = config.tls
    if bool(tls.cert) != bool(tls.key):
        raise ConfigError(f"{where} > tls: set both cert and key (PEM files), or neither for plain HTTP")
    for name in ("cert", "key"):
        path = getattr(tls, name)
        if path and not config.path(path).is_file():
            raise ConfigError(f"{where} > tls > {name}: {config.path(path)} is not a file")


def _check_rasa_workers(config: KefuConfig, where: str) -> None:
    workers = config.rasa.workers
    if not 1 <= workers <= MAX_RASA_WORKERS:
        raise ConfigError(f"{where} > rasa > workers: {workers} is not between 1 and {MAX_RASA_WORKERS} "
                          f"(each Rasa process holds its own copy of the model, about 1.2 GB)")
    ports = config.rasa_ports()
    if ports[-1] > 65535:
        raise ConfigError(f"{where} > rasa > workers: ports {ports[0]}-{ports[-1]} run past 65535; lower ports.rasa")
    for service in ("gateway", "actions"):
        port = getattr(config.ports, service)
        if port in ports[1:]:
            raise ConfigError(f"{where}: with rasa.workers {workers} Rasa uses ports {ports[0]}-{ports[-1]}, "
                              f"which includes ports.{service} ({port}); move one of them")


def _check_retrieval_folders(settings: Any, where: str) -> None:
    """The index and knowledge folders are `paths.*`, shared with `kefu index` and the action server."""
    for key in ("knowledge_dir", "index_dir"):
        if isinstance(settings, dict) and key in settings:
            raise ConfigError(f"{where} > retrieval > {key}: set paths.{key.split('_')[0]} instead")
