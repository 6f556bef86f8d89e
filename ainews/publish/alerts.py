"""Watch alerts: one short message per watch and story (title, outlet, summary line, link), sent
through the digest's channels (publish/deliver.py senders), separate from the digest and never
twice for the same story (store/alerts.py). A failed channel is reported and retried next run.
"""

from __future__ import annotations

import html
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from email.message import EmailMessage
from typing import Any

from ainews.analyze.watch import compile_watch, find_matches
from ainews.config import Settings, WatchSettings
from ainews.models import Article
from ainews.publish import deliver
from ainews.publish.markdown import clip, safe_url
from ainews.store import Store
from ainews.store import alerts as alert_log

log = logging.getLogger(__name__)
LOOKBACK_DAYS = 1  # the run's day and the one before: late-night news alerts too


@dataclass(frozen=True)
class Alert:
    """What one message says."""

    watch: str
    title: str
    outlet: str
    line: str
    url: str

    @classmethod
    def of(cls, watch: WatchSettings, article: Article) -> Alert:
        sentences = (article.analysis.summary if article.analysis else []) or (
            article.imported.summary if article.imported else [])
        line = next((" ".join(s.split()) for s in sentences if s.strip() and s.strip() != article.title), "")
        return cls(watch.name, clip(" ".join(article.title.split()) or "(제목 없음)", 200),
                   " ".join((article.publisher or article.host or "").split()), clip(line, 200),
                   safe_url(article.canonical_url or article.url))


@dataclass
class AlertOutcome:
    watch: str
    story: str
    channel: str
    status: str  # sent | failed | not-configured
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"watch": self.watch, "story": self.story, "channel": self.channel, "status": self.status,
                "error": self.error}


def slack_alert(alert: Alert) -> dict[str, Any]:
    esc = lambda t: html.escape(t, quote=False)  # noqa: E731 - Slack escapes exactly &, <, >
    label = esc(alert.title).replace("|", "¦")
    head = f"*<{alert.url.replace('|', '%7C')}|{label}>*" if alert.url != "#" else f"*{label}*"
    text = f"🔔 {esc(alert.watch)} · {head}" + (f"\n{esc(alert.line)}" if alert.line else "") + \
        (f"\n_{esc(alert.outlet)}_" if alert.outlet else "")
    return {"text": f"🔔 {alert.watch}: {alert.title}", "unfurl_links": False,
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]}


def telegram_alert(alert: Alert) -> str:
    esc = lambda t: html.escape(t, quote=False)  # noqa: E731
    head = f'<a href="{html.escape(alert.url)}">{esc(alert.title)}</a>' if alert.url != "#" else esc(alert.title)
    lines = [f"🔔 <b>{esc(alert.watch)}</b>", head, esc(alert.line), f"<i>{esc(alert.outlet)}</i>"]
    return "\n".join(x for x in lines if x and x != "<i></i>")


def email_alert(alert: Alert, sender: str, recipients: list[str]) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = f"[ainews] {alert.watch}: {alert.title}"
    msg["From"], msg["To"] = sender, ", ".join(recipients)
    lines = [alert.title, alert.line, alert.outlet, alert.url if alert.url != "#" else ""]
    msg.set_content("\n".join(x for x in lines if x) + "\n")
    return msg


def _secret(env: Mapping[str, str], name: str, what: str) -> str:
    if not (name and env.get(name)):
        raise deliver.DeliveryError(f"{what}: environment variable {name or '(unnamed)'} is not set")
    return env[name]


def send_alert(settings: Settings, channel: str, alert: Alert, env: Mapping[str, str]) -> None:
    d, timeout = settings.delivery, settings.http.timeout
    if channel == "slack":
        deliver.send_slack(_secret(env, d.slack.webhook_url_env, "Slack webhook URL"), slack_alert(alert), timeout)
    elif channel == "telegram":
        token = _secret(env, d.telegram.bot_token_env, "Telegram bot token")
        deliver.send_telegram(d.telegram.api_base, token, d.telegram.chat_id, [telegram_alert(alert)], timeout)
    else:
        password = _secret(env, d.email.password_env, "SMTP password") if d.email.password_env else ""
        deliver.send_email(d.email, password, email_alert(alert, d.email.sender, list(d.email.recipients)), timeout)


def configured_channels(settings: Settings) -> set[str]:
    return {c.name for c in deliver.CHANNELS if c.configured(settings)}


def send_watch_alerts(store: Store, settings: Settings, day: date,
                      env: Mapping[str, str] | None = None) -> list[AlertOutcome]:
    """Alert every watch's channels about stories of `day` (and the day before) not alerted yet."""
    if not settings.watch:
        return []
    env = os.environ if env is None else env
    articles = store.articles_between(day - timedelta(days=LOOKBACK_DAYS), day)
    matches = find_matches([compile_watch(w) for w in settings.watch], articles)
    ready = configured_channels(settings)
    outcomes: list[AlertOutcome] = []
    secrets = deliver.guard_secrets(settings, env)
    for watch in settings.watch:
        for story, article in matches[watch.name].items():
            outcomes += _alert_story(store, settings, watch, story, article, ready, env, secrets)
    return outcomes


def _alert_story(store: Store, settings: Settings, watch: WatchSettings, story: str, article: Article,
                 ready: set[str], env: Mapping[str, str], secrets: list[str]) -> list[AlertOutcome]:
    outcomes = []
    for channel in watch.channels:
        if channel not in ready:
            outcomes.append(AlertOutcome(watch.name, story, channel, "not-configured"))
            continue
        if alert_log.alert_status(store, watch.name, story, channel) == "sent":
            continue
        try:
            send_alert(settings, channel, Alert.of(watch, article), env)
        except Exception as exc:  # noqa: BLE001 - one channel's failure is reported, never fatal
            message = deliver.redact(f"{type(exc).__name__}: {exc}" if not isinstance(exc, deliver.DeliveryError)
                                     else str(exc), secrets)
            log.warning("watch alert %s to %s failed: %s", watch.name, channel, message)
            alert_log.record_alert(store, watch.name, story, channel, article.id or 0, message)
            outcomes.append(AlertOutcome(watch.name, story, channel, "failed", message))
            continue
        alert_log.record_alert(store, watch.name, story, channel, article.id or 0, None)
        outcomes.append(AlertOutcome(watch.name, story, channel, "sent"))
    return outcomes
