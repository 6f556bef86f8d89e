"""Settings from TOML with defaults that work with no file at all.

Lookup order: `--config PATH`, `$AINEWS_CONFIG`, `~/.config/ainews/config.toml`; the store URL can also
come from `--db` or `$AINEWS_DB`. Secrets are never stored here: sections name the environment
variable that holds them (`api_key_env`, `password_env`, ...).
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
class SlackSettings:
    webhook_url_env: str = ""


@dataclass
class TelegramSettings:
    bot_token_env: str = ""
    chat_id: str = ""
    api_base: str = "https://api.telegram.org"


@dataclass
class EmailSettings:
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
class WebSettings:
    token_env: str = ""
    site_title: str = "AI 뉴스"


@dataclass
class Settings:
    db: str = ""
    output_dir: str = "ainews-out"
    site_url: str = ""  # public address of site/, for links in feeds and messages
    sources: str = ""  # a user's sources.toml, added to the bundled defaults
    digest_body_chars: int = 1500
    http: HttpSettings = field(default_factory=HttpSettings)
    analysis: AnalysisSettings = field(default_factory=AnalysisSettings)
    summary: SummarySettings = field(default_factory=SummarySettings)
    llm: LlmSettings = field(default_factory=LlmSettings)
    delivery: DeliverySettings = field(default_factory=DeliverySettings)
    web: WebSettings = field(default_factory=WebSettings)

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
        if dataclasses.is_dataclass(current):
            if not isinstance(value, dict):
                raise ConfigError(f"{where}: [{key}] must be a table")
            _merge(current, value, f"{where}.{key}")
        elif current is not None and not isinstance(value, type(current)) and not (
            isinstance(current, float) and isinstance(value, int)
        ):
            raise ConfigError(f"{where}: '{key}' must be {type(current).__name__}")
        else:
            setattr(obj, key, float(value) if isinstance(current, float) else value)


def load_settings(path: str | Path | None = None, db: str | None = None) -> Settings:
    settings = Settings()
    candidate = path or os.environ.get("AINEWS_CONFIG") or DEFAULT_CONFIG_PATH
    file = Path(candidate).expanduser()
    if file.is_file():
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{file}: not valid TOML ({exc})") from exc
        _merge(settings, data, str(file))
    elif path:
        raise ConfigError(f"{file}: config file not found")
    if db:
        settings.db = db
    return settings
