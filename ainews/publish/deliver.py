"""Delivery of a published day: Slack incoming webhook, Telegram bot, e-mail (SMTP, STARTTLS).

Each channel is optional and configured in `[delivery.*]`; secrets (webhook URL, bot token, SMTP
password) are read from the environment variables the config names and never appear in logs,
errors or output (`redact`). The store's delivery log makes each channel receive a day once: a
sent day is skipped, a failed one is retried by the next run. A failure is returned as an
outcome, never raised, so one broken channel cannot stop the run or the other channels.
"""

from __future__ import annotations

import html
import logging
import os
import smtplib
import ssl
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

import httpx

from ainews.config import EmailSettings, Settings
from ainews.errors import AinewsError
from ainews.publish.channel_filter import for_channel
from ainews.publish.markdown import clip, safe_url
from ainews.publish.records import PublishedDay, PublishedItem
from ainews.redact import configured_secrets, install_log_filter, redact, remember, remember_settings
from ainews.store import Store

log = logging.getLogger(__name__)

TELEGRAM_LIMIT = 4096
SLACK_ITEMS = 10
SLACK_SECTION_CHARS = 2900
MAX_HREF_CHARS = 1500


class DeliveryError(AinewsError):
    """A channel failed; the message is already free of secrets."""


@dataclass
class Outcome:
    channel: str
    status: str  # sent | already-sent | failed | not-configured | empty
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"channel": self.channel, "status": self.status, "error": self.error}


def _plain(value: Any) -> str:
    return " ".join(str(value or "").split())


def _gist(item: PublishedItem, limit: int = 200) -> str:
    head = next((_plain(s) for s in item.summary if _plain(s)), "")
    return "" if head == _plain(item.title) else clip(head, limit)


def _site_link(site_url: str, day: str) -> str:
    return f"{site_url.rstrip('/')}/days/{day}.html" if site_url.startswith(("http://", "https://")) else ""


# --- message builders -------------------------------------------------------------------------------

def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_payload(data: PublishedDay, site_url: str = "", limit: int = SLACK_ITEMS) -> dict[str, Any]:
    """A Block Kit message: header, one section per top story (linked title, gist, outlet), context."""
    items = data.items
    title = _plain(data.title) or data.day
    blocks: list[dict[str, Any]] = [{"type": "header", "text": {"type": "plain_text", "text": clip(title, 140),
                                                                "emoji": True}}]
    for item in items[:limit]:
        label = _slack_escape(clip(_plain(item.title) or "(제목 없음)", 200)).replace("|", "¦")
        url = safe_url(_plain(item.url)).replace("|", "%7C")
        line = f"*<{url}|{label}>*" if url != "#" else f"*{label}*"
        gist = _gist(item, 300)
        outlets = len(item.others) + 1
        meta = f"{_plain(item.publisher or item.host)} · {_plain(item.category)}" + (
            f" · {outlets}개 매체" if outlets > 1 else "")
        text = f"{item.rank}. {line}" + (f"\n{_slack_escape(gist)}" if gist else "") + \
            f"\n_{_slack_escape(meta)}_"
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": clip(text, SLACK_SECTION_CHARS)}})
    footer = f"오늘의 AI 뉴스 {len(items)}건"
    link = _site_link(site_url, data.day)
    if link:
        footer += f" · <{link}|웹에서 전체 보기>"
    blocks += [{"type": "divider"}, {"type": "context", "elements": [{"type": "mrkdwn", "text": footer}]}]
    return {"text": f"{title}: {len(items)}건", "blocks": blocks, "unfurl_links": False}


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _tg(text: str) -> str:
    return html.escape(text, quote=False)


def telegram_blocks(data: PublishedDay, site_url: str = "") -> list[str]:
    """The day as Telegram-HTML blocks (header, one per item, footer); each is valid on its own."""
    items = data.items
    blocks = [f"<b>{_tg(_plain(data.title) or data.day)}</b>\n오늘의 AI 뉴스 {len(items)}건"]
    for item in items:
        title = _tg(clip(_plain(item.title) or "(제목 없음)", 300))
        href = html.escape(safe_url(_plain(item.url)), quote=True)
        head = f'<a href="{href}">{title}</a>' if href != "#" and len(href) <= MAX_HREF_CHARS else title
        lines = [f"<b>{item.rank}.</b> {head}"]
        gist = _gist(item, 300)
        if gist:
            lines.append(_tg(gist))
        meta = _plain(item.publisher or item.host)
        others = len(item.others)
        lines.append(f"<i>{_tg(clip(meta, 80))}{f' 외 {others}개 매체' if others else ''}</i>")
        blocks.append("\n".join(lines))
    link = _site_link(site_url, data.day)
    if link and len(link) <= MAX_HREF_CHARS:
        blocks.append(f'<a href="{html.escape(link, quote=True)}">웹에서 전체 보기</a>')
    return blocks


def split_messages(blocks: list[str], limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Blocks packed into messages of at most `limit` UTF-16 units, split only between blocks."""
    messages: list[str] = []
    current = ""
    for block in blocks:
        if _utf16_len(block) > limit:  # cannot happen with telegram_blocks' clipping; stay safe anyway
            block = _tg(clip(html.unescape(_strip_tags(block)), limit // 6))
        candidate = f"{current}\n\n{block}" if current else block
        if _utf16_len(candidate) <= limit:
            current = candidate
        else:
            messages.append(current)
            current = block
    if current:
        messages.append(current)
    return messages


def _strip_tags(text: str) -> str:
    import re

    return re.sub(r"<[^>]*>", "", text)


def telegram_messages(data: PublishedDay, site_url: str = "", limit: int = TELEGRAM_LIMIT) -> list[str]:
    return split_messages(telegram_blocks(data, site_url), limit)


def email_message(data: PublishedDay, sender: str, recipients: list[str], site_url: str = "") -> EmailMessage:
    """multipart/alternative: a plain-text digest and an HTML one (escaped, inline styles only)."""
    from ainews.publish.site import environment

    items = data.items
    title = _plain(data.title) or data.day
    text = [title, "=" * 20, ""]
    for item in items:
        text.append(f"{item.rank}. {_plain(item.title)}")
        gist = _gist(item, 300)
        if gist:
            text.append(f"   {gist}")
        url = safe_url(_plain(item.url))
        source = _plain(item.publisher or item.host)
        text += [f"   {source} · {url}" if url != "#" else f"   {source}", ""]
    link = _site_link(site_url, data.day)
    if link:
        text.append(f"웹에서 보기: {link}")
    body_html = environment().get_template("email.html").render(
        title=title, items=items, gist=_gist, site_link=link)
    msg = EmailMessage()
    msg["Subject"] = title
    msg["From"] = sender
    msg["To"] = ", ".join(recipients)
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(idstring=f"ainews-{data.day}")
    msg.set_content("\n".join(text).rstrip() + "\n")
    msg.add_alternative(body_html, subtype="html")
    return msg


# --- senders ----------------------------------------------------------------------------------------

def _post_json(url: str, payload: dict[str, Any], timeout: float, secrets: list[str]) -> httpx.Response:
    try:
        response = httpx.post(url, json=payload, timeout=timeout, follow_redirects=False)
    except httpx.HTTPError as exc:
        raise DeliveryError(redact(f"{type(exc).__name__}: {exc}", secrets)) from None
    if response.status_code >= 300:
        raise DeliveryError(f"HTTP {response.status_code}: " + redact(_plain(response.text), secrets)[:200])
    return response


def send_slack(webhook_url: str, payload: dict[str, Any], timeout: float = 20.0) -> None:
    if not webhook_url.startswith(("http://", "https://")):
        raise DeliveryError("Slack webhook URL must be http(s)")
    _post_json(webhook_url, payload, timeout, [webhook_url, webhook_url.split("://", 1)[-1]])


def send_telegram(api_base: str, token: str, chat_id: str, messages: list[str], timeout: float = 20.0) -> None:
    """sendMessage once per part, in order; a failed part stops the rest (retried whole next run)."""
    url = f"{api_base.rstrip('/')}/bot{token}/sendMessage"
    for text in messages:
        payload = {"chat_id": chat_id, "text": text, "parse_mode": "HTML", "disable_web_page_preview": True}
        response = _post_json(url, payload, timeout, [token])
        try:
            ok = response.json().get("ok", True)
        except ValueError:
            ok = True
        if ok is False:
            raise DeliveryError("Telegram refused the message: " + redact(_plain(response.text), [token])[:200])


def send_email(cfg: EmailSettings, password: str, msg: EmailMessage, timeout: float = 30.0) -> None:
    """SMTP with STARTTLS (or implicit TLS on port 465); login only when a username is set."""
    secrets = [password]
    remember(secrets, username=cfg.username)
    try:
        context = ssl.create_default_context()
        if cfg.port == 465:
            client: smtplib.SMTP = smtplib.SMTP_SSL(cfg.host, cfg.port, timeout=timeout, context=context)
        else:
            client = smtplib.SMTP(cfg.host, cfg.port, timeout=timeout)
        with client:
            client.ehlo()
            if cfg.starttls and cfg.port != 465:
                client.starttls(context=context)
                client.ehlo()
            if cfg.username:
                client.login(cfg.username, password)
            client.send_message(msg)
    except (smtplib.SMTPException, OSError, ssl.SSLError) as exc:
        raise DeliveryError(redact(f"{type(exc).__name__}: {exc}", secrets)) from None


# --- channels and the delivery log ------------------------------------------------------------------

@dataclass
class Channel:
    name: str
    configured: Callable[[Settings], bool]
    send: Callable[[Settings, PublishedDay, str, Mapping[str, str]], None]


def _secret(env: Mapping[str, str], name: str, what: str) -> str:
    value = env.get(name, "") if name else ""
    if not value:
        raise DeliveryError(f"{what}: environment variable {name or '(unnamed)'} is not set")
    return value


def _slack(settings: Settings, data: PublishedDay, site_url: str, env: Mapping[str, str]) -> None:
    url = _secret(env, settings.delivery.slack.webhook_url_env, "Slack webhook URL")
    send_slack(url, slack_payload(data, site_url), settings.http.timeout)


def _telegram(settings: Settings, data: PublishedDay, site_url: str, env: Mapping[str, str]) -> None:
    cfg = settings.delivery.telegram
    token = _secret(env, cfg.bot_token_env, "Telegram bot token")
    send_telegram(cfg.api_base, token, cfg.chat_id, telegram_messages(data, site_url), settings.http.timeout)


def _email(settings: Settings, data: PublishedDay, site_url: str, env: Mapping[str, str]) -> None:
    cfg = settings.delivery.email
    password = _secret(env, cfg.password_env, "SMTP password") if cfg.password_env else ""
    msg = email_message(data, cfg.sender, list(cfg.recipients), site_url)
    send_email(cfg, password, msg, settings.http.timeout)


CHANNELS = [
    Channel("slack", lambda s: bool(s.delivery.slack.webhook_url_env), _slack),
    Channel("telegram", lambda s: bool(s.delivery.telegram.bot_token_env and s.delivery.telegram.chat_id), _telegram),
    Channel("email", lambda s: bool(s.delivery.email.host and s.delivery.email.sender
                                    and s.delivery.email.recipients), _email),
]


def deliver_day(store: Store, settings: Settings, data: PublishedDay, site_url: str = "",
                env: Mapping[str, str] | None = None) -> list[Outcome]:
    """Send the day to every configured channel that has not received it yet; log each result."""
    env = os.environ if env is None else env
    guard_secrets(settings, env)
    return _deliver(store, settings, data, site_url, env)


def _deliver(store: Store, settings: Settings, data: PublishedDay, site_url: str,
             env: Mapping[str, str]) -> list[Outcome]:
    day = date.fromisoformat(data.day)
    outcomes = []
    for channel in CHANNELS:
        if not channel.configured(settings):
            outcomes.append(Outcome(channel.name, "not-configured"))
            continue
        if store.delivery_status(channel.name, day) == "sent":
            outcomes.append(Outcome(channel.name, "already-sent"))
            continue
        mine = for_channel(data, settings, channel.name)  # [delivery.<channel>] categories, min_relevance
        if not mine.items:
            outcomes.append(Outcome(channel.name, "empty"))  # not logged: a later run may have news
            continue
        try:
            channel.send(settings, mine, site_url, env)
        except Exception as exc:  # noqa: BLE001 - a channel's failure is reported, never fatal
            message = redact(str(exc) if isinstance(exc, DeliveryError) else f"{type(exc).__name__}: {exc}")
            log.warning("delivery to %s failed: %s", channel.name, message)
            store.record_delivery(channel.name, day, message)
            outcomes.append(Outcome(channel.name, "failed", message))
            continue
        store.record_delivery(channel.name, day, None)
        outcomes.append(Outcome(channel.name, "sent"))
    return outcomes


def guard_secrets(settings: Settings, env: Mapping[str, str]) -> list[str]:
    """From now on every delivery secret is masked in whatever is printed or logged; returns them."""
    remember_settings(settings, env)
    install_log_filter()
    return configured_secrets(settings, env)
