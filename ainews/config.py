"""Settings from TOML with defaults that work with no file at all.

Lookup order: `--config PATH`, `$AINEWS_CONFIG`, `~/.config/ainews/config.toml`; the store URL can also
come from `--db` or `$AINEWS_DB`. Secrets are never stored here: sections name the environment
variable that holds them (`api_key_env`, `password_env`, ...).
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ainews import catalogue
from ainews.errors import UserError

DEFAULT_CONFIG_PATH = Path("~/.config/ainews/config.toml")
DEFAULT_DB_PATH = Path("~/.local/share/ainews/ainews.db")


class ConfigError(UserError):
    """A configuration file that cannot be used; the message says where and why."""


@dataclass
class HttpSettings:
    user_agent: str = "ainews/0.1 (+https://github.com/ainews; Korean AI news digest bot)"
    timeout: float = 20.0
    concurrency: int = 16
    per_host_concurrency: int = 2
    per_host_delay: float = 1.0
    retries: int = 3
    backoff: float = 0.5
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    respect_robots: bool = True


@dataclass
class AnalysisSettings:
    relevance_threshold: float = 0.5
    story_window_hours: int = 72


@dataclass
class TemplateSettings:
    """Learned site templates (ainews/extract/templates.py): a line is template in >= min_articles
    pages of a host and in >= min_share of the host's pages since it first appeared."""

    enabled: bool = True
    min_articles: int = 3
    min_share: float = 0.5
    exclude_hosts: list[str] = field(default_factory=list)  # never learned nor cleaned


@dataclass
class SummarySettings:
    method: str = "extractive"  # extractive | llm
    sentences: int = 3
    max_sentence_chars: int = 160


@dataclass
class LlmSettings:
    base_url: str = ""
    model: str = ""
    api_key_env: str = "OPENAI_API_KEY"
    timeout: float = 60.0
    retries: int = 2
    concurrency: int = 2
    max_calls: int = 200


@dataclass
class ChannelFilter:
    """What one channel's digest message holds: only these categories (empty: all), relevance floor."""

    categories: list[str] = field(default_factory=list)
    min_relevance: float = 0.0


@dataclass
class SlackSettings(ChannelFilter):
    webhook_url_env: str = ""


@dataclass
class TelegramSettings(ChannelFilter):
    bot_token_env: str = ""
    chat_id: str = ""
    api_base: str = "https://api.telegram.org"


@dataclass
class EmailSettings(ChannelFilter):
    host: str = ""
    port: int = 587
    starttls: bool = True
    username: str = ""
    password_env: str = ""
    sender: str = ""
    recipients: list[str] = field(default_factory=list)


@dataclass
class DeliverySettings:
    slack: SlackSettings = field(default_factory=SlackSettings)
    telegram: TelegramSettings = field(default_factory=TelegramSettings)
    email: EmailSettings = field(default_factory=EmailSettings)


@dataclass
class WatchSettings:
    """`[[watch]]`: alert `channels` the moment an article matches `terms` or analysed `companies`."""

    name: str = ""
    terms: list[str] = field(default_factory=list)
    companies: list[str] = field(default_factory=list)
    channels: list[str] = field(default_factory=list)
    ai_only: bool = True


WATCH_CHANNELS = ("slack", "telegram", "email")


@dataclass
class WebSettings:
    token_env: str = ""
    site_title: str = "AI 뉴스"


@dataclass
class ScheduleSettings:
    """Periodic runs queued by the workers themselves (`ainews worker`), so a cluster needs no cron."""

    daily_at: str = ""  # "HH:MM" in KST, e.g. "06:30"; empty = no periodic run
    deliver: bool = True


@dataclass
class QueueSettings:
    """The task engine (PostgreSQL only): how fast a dead worker's tasks come back."""

    heartbeat_seconds: float = 10.0
    stalled_after_seconds: float = 30.0  # no heartbeat for this long → its running tasks are retried
    keep_days: float = 7.0  # finished tasks are deleted after this long


@dataclass
class Settings:
    db: str = ""
    output_dir: str = "ainews-out"
    site_url: str = ""  # public address of site/, for links in feeds and messages
    sources: str = ""  # a user's sources.toml, added to the bundled defaults
    digest_body_chars: int = 1500
    extract_timeout: float = 5.0  # CPU seconds one page may take to extract (3x in wall time); then it is killed
    http: HttpSettings = field(default_factory=HttpSettings)
    analysis: AnalysisSettings = field(default_factory=AnalysisSettings)
    templates: TemplateSettings = field(default_factory=TemplateSettings)
    summary: SummarySettings = field(default_factory=SummarySettings)
    llm: LlmSettings = field(default_factory=LlmSettings)
    delivery: DeliverySettings = field(default_factory=DeliverySettings)
    web: WebSettings = field(default_factory=WebSettings)
    watch: list[WatchSettings] = field(default_factory=list)
    schedule: ScheduleSettings = field(default_factory=ScheduleSettings)
    queue: QueueSettings = field(default_factory=QueueSettings)

    @property
    def db_url(self) -> str:
        return resolve_db_url(self.db)


def resolve_db_url(value: str) -> str:
    """A SQLAlchemy URL from `--db`/`$AINEWS_DB`/config: a URL as is, a bare path as SQLite."""
    value = value or os.environ.get("AINEWS_DB", "") or str(DEFAULT_DB_PATH)
    if "://" in value:
        return value
    path = Path(value).expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def _merge(obj: Any, data: dict[str, Any], where: str) -> None:
    names = {f.name: f for f in dataclasses.fields(obj)}
    for key, value in data.items():
        if key not in names:
            raise ConfigError(f"{where}: unknown setting '{key}'")
        current = getattr(obj, key)
        if key == "watch" and isinstance(obj, Settings):
            obj.watch = parse_watches(value, where)
        elif dataclasses.is_dataclass(current):
            if not isinstance(value, dict):
                raise ConfigError(f"{where}: [{key}] must be a table")
            _merge(current, value, f"{where}.{key}")
        elif current is not None and not isinstance(value, type(current)) and not (
            isinstance(current, float) and isinstance(value, int)
        ):
            raise ConfigError(f"{where}: '{key}' must be {type(current).__name__}")
        else:
            setattr(obj, key, float(value) if isinstance(current, float) else value)


def parse_watches(value: Any, where: str) -> list[WatchSettings]:
    """`[[watch]]` tables, each with a unique name, something to match and known channels."""
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ConfigError(f"{where}: 'watch' must be [[watch]] tables")
    watches: list[WatchSettings] = []
    for number, table in enumerate(value, 1):
        watch = WatchSettings()
        _merge(watch, table, f"{where}.watch[{number}]")
        label = f"{where}: watch '{watch.name or number}'"
        if not all(isinstance(x, str) for x in watch.terms + watch.companies + watch.channels):
            raise ConfigError(f"{label}: terms, companies and channels must be lists of strings")
        if not watch.name.strip():
            raise ConfigError(f"{where}: watch {number} needs a name")
        if any(w.name == watch.name for w in watches):
            raise ConfigError(f"{label} is defined twice")
        if not any(t.strip() for t in watch.terms + watch.companies):
            raise ConfigError(f"{label} needs terms or companies")
        unknown = sorted(set(watch.channels) - set(WATCH_CHANNELS))
        if unknown or not watch.channels:
            raise ConfigError(f"{label}: channels must be some of {', '.join(WATCH_CHANNELS)}"
                              + (f" (not {', '.join(unknown)})" if unknown else ""))
        watches.append(watch)
    return watches


def load_settings(path: str | Path | None = None, db: str | None = None) -> Settings:
    settings = Settings()
    candidate = path or os.environ.get("AINEWS_CONFIG") or DEFAULT_CONFIG_PATH
    file = Path(candidate).expanduser()
    if file.is_file():
        data = catalogue.parse(file.read_bytes(), str(file), ConfigError)
        _merge(settings, data, str(file))
    elif path:
        raise ConfigError(f"{file}: config file not found")
    if db:
        settings.db = db
    return settings
