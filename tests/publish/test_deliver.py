"""Delivery against real local servers: a webhook receiver (pytest-httpserver) for Slack and
Telegram, aiosmtpd for e-mail. Payload shape, Telegram splitting, once-per-day, retries, secrets."""

from __future__ import annotations

import email
import json
import logging
import re
import socket
from datetime import date
from email import policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from ainews import pipeline
from ainews.config import Settings
from ainews.publish import deliver
from ainews.publish.records import PublishedDay
from ainews.store import Store
from tests.support.published import HOSTILE_TITLES, add_article, assert_inert, fill_hostile

DAY = date(2026, 1, 20)
TOKEN = "123456:SECRET-bot-token-xyz"
SLACK_PATH = "/services/T000/B000/secretslackpath"
PASSWORD = "smtp-pass-DO-NOT-LEAK"


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Store, Settings, Path]:
    settings = Settings(db=str(tmp_path / "a.db"))
    settings.http.timeout = 5.0
    store = Store(settings.db_url)
    for n in range(40):  # enough long items to need several Telegram messages
        add_article(store, DAY, n, title=f"AI 뉴스 {n}번 " + "긴 제목 " * 20,
                    summary=[f"{n}번 기사의 요약 문장입니다. " * 6])
    fill_hostile(store, DAY)
    out = tmp_path / "out"
    pipeline.publish_day(store, settings, DAY, out)
    yield store, settings, out
    store.close()


def _telegram_settings(settings: Settings, server: HTTPServer) -> None:
    settings.delivery.telegram.bot_token_env = "TEST_TG_TOKEN"
    settings.delivery.telegram.chat_id = "-1001"
    settings.delivery.telegram.api_base = server.url_for("/")


def _balanced(html_text: str) -> bool:
    """Telegram's HTML subset: only b/i/a tags, properly nested, entities well formed."""
    stack: list[str] = []
    for closing, name in re.findall(r"<(/?)([a-zA-Z]+)[^>]*>", html_text):
        if name not in {"b", "i", "a"}:
            return False
        if closing:
            if not stack or stack.pop() != name:
                return False
        else:
            stack.append(name)
    stripped = re.sub(r"<[^>]*>", "", html_text)
    return not stack and "<" not in stripped and ">" not in stripped and not re.search(r"&(?!(amp|lt|gt|quot);)",
                                                                                      stripped)


def test_slack_block_kit_once(setup: tuple[Store, Settings, Path], httpserver: HTTPServer,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    store, settings, out = setup
    received: list[dict] = []

    def hook(request: Request) -> Response:
        received.append(json.loads(request.data))
        return Response("ok")

    httpserver.expect_request(SLACK_PATH, method="POST").respond_with_handler(hook)
    settings.delivery.slack.webhook_url_env = "TEST_SLACK_URL"
    monkeypatch.setenv("TEST_SLACK_URL", httpserver.url_for(SLACK_PATH))
    outcomes = {o.channel: o for o in pipeline.deliver_day(store, settings, DAY, out, "https://news.example.org")}
    assert outcomes["slack"].status == "sent" and outcomes["telegram"].status == "not-configured"
    assert len(received) == 1
    payload = received[0]
    blocks = payload["blocks"]
    assert blocks[0]["type"] == "header" and "2026년 01월 20일" in blocks[0]["text"]["text"]
    sections = [b for b in blocks if b["type"] == "section"]
    assert len(sections) == deliver.SLACK_ITEMS and payload["text"]
    assert sections[0]["text"]["text"].startswith("1. ")
    assert any(re.match(r"^\d+\. \*<https://news\.example\.com/[^|>]+\|AI 뉴스", b["text"]["text"]) for b in sections)
    assert "https://news.example.org/days/2026-01-20.html" in blocks[-1]["elements"][0]["text"]
    assert all(len(s["text"]["text"]) <= 3000 for s in sections)
    again = {o.channel: o for o in pipeline.deliver_day(store, settings, DAY, out)}
    assert again["slack"].status == "already-sent" and len(received) == 1  # once per day


def test_slack_escapes_hostile_text() -> None:
    data = PublishedDay.from_json({"day": "2026-01-20", "title": "t", "items": [
        {"rank": i, "title": t, "url": "javascript:alert(1)", "summary": ["<b>x</b> & y"], "publisher": "<p>",
         "category": "c", "others": []} for i, t in enumerate(HOSTILE_TITLES, 1)]})
    payload = deliver.slack_payload(data)
    for block in payload["blocks"][1:-2]:
        text = block["text"]["text"]
        # the only control sequences left are our own http(s) links: <url|label>
        assert re.sub(r"<https?://[^|<>\s]+\|[^<>]*>", "", text).count("<") == 0, text
        assert ">" not in re.sub(r"<https?://[^|<>\s]+\|[^<>]*>", "", text)
    assert "&lt;script&gt;" in json.dumps(payload, ensure_ascii=False)


def test_telegram_split_and_html(setup: tuple[Store, Settings, Path], httpserver: HTTPServer,
                                 monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)  # as with `ainews -v`: HTTP libraries log every request URL
    store, settings, out = setup
    messages: list[dict] = []

    def bot(request: Request) -> Response:
        messages.append(json.loads(request.data))
        return Response(json.dumps({"ok": True}), content_type="application/json")

    httpserver.expect_request(f"/bot{TOKEN}/sendMessage", method="POST").respond_with_handler(bot)
    _telegram_settings(settings, httpserver)
    monkeypatch.setenv("TEST_TG_TOKEN", TOKEN)
    outcomes = {o.channel: o for o in pipeline.deliver_day(store, settings, DAY, out)}
    assert outcomes["telegram"].status == "sent", outcomes["telegram"].error
    assert len(messages) >= 2  # 47 long items do not fit one message
    ranks = []
    for message in messages:
        text = message["text"]
        assert message["parse_mode"] == "HTML" and message["chat_id"] == "-1001"
        assert len(text.encode("utf-16-le")) // 2 <= deliver.TELEGRAM_LIMIT
        assert _balanced(text), text[:300]
        assert "javascript:" not in " ".join(re.findall(r'href="([^"]*)"', text))
        ranks += [int(r) for r in re.findall(r"<b>(\d+)\.</b>", text)]
    assert ranks == list(range(1, 48))  # every item, in order, none split across messages
    assert pipeline.deliver_day(store, settings, DAY, out)[1].status == "already-sent"
    ours = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("werkzeug"))  # not the receiver
    assert "/bot***/sendMessage" in ours and TOKEN not in ours  # the bot token never reaches our logs


def test_split_messages_respects_the_limit() -> None:
    blocks = ["<b>x</b>" + "가" * 1000 for _ in range(10)] + ["&amp;" * 2000]
    parts = deliver.split_messages(blocks, 4096)
    assert all(len(p.encode("utf-16-le")) // 2 <= 4096 for p in parts) and len(parts) >= 3
    emoji = ["😀" * 1500] * 3  # 2 UTF-16 units each: 3000 units per block
    assert len(deliver.split_messages(emoji, 4096)) == 3


def test_failure_is_reported_without_secret_and_retried(setup: tuple[Store, Settings, Path], httpserver: HTTPServer,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    store, settings, out = setup
    _telegram_settings(settings, httpserver)
    monkeypatch.setenv("TEST_TG_TOKEN", TOKEN)
    httpserver.expect_oneshot_request(f"/bot{TOKEN}/sendMessage").respond_with_data(
        f"upstream broke while handling /bot{TOKEN}/sendMessage", status=502)
    with socket.socket() as s:  # a closed port for Slack
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}{SLACK_PATH}"
    settings.delivery.slack.webhook_url_env = "TEST_SLACK_URL"
    monkeypatch.setenv("TEST_SLACK_URL", dead)
    first = {o.channel: o for o in pipeline.deliver_day(store, settings, DAY, out)}
    assert first["telegram"].status == "failed" and "502" in (first["telegram"].error or "")
    assert first["slack"].status == "failed"
    for outcome in first.values():
        assert TOKEN not in (outcome.error or "") and "secretslackpath" not in (outcome.error or "")
    assert store.delivery_status("telegram", DAY) == "failed"
    # next run: the receiver works again, the day is delivered then, once
    httpserver.expect_request(f"/bot{TOKEN}/sendMessage").respond_with_json({"ok": True})
    second = {o.channel: o for o in pipeline.deliver_day(store, settings, DAY, out)}
    assert second["telegram"].status == "sent" and store.delivery_status("telegram", DAY) == "sent"


def test_missing_secret_is_a_reported_failure(setup: tuple[Store, Settings, Path],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    store, settings, out = setup
    settings.delivery.slack.webhook_url_env = "TEST_NOT_SET_ANYWHERE"
    monkeypatch.delenv("TEST_NOT_SET_ANYWHERE", raising=False)
    outcome = pipeline.deliver_day(store, settings, DAY, out)[0]
    assert outcome.status == "failed" and "TEST_NOT_SET_ANYWHERE" in (outcome.error or "")


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, ANN201, N802 - aiosmtpd hook
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


@pytest.fixture
def smtp() -> tuple[Controller, _Inbox]:
    inbox = _Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield controller, inbox
    controller.stop()


def _email_settings(settings: Settings, controller: Controller, starttls: bool = False) -> None:
    cfg = settings.delivery.email
    cfg.host, cfg.port, cfg.starttls = "127.0.0.1", controller.port, starttls
    cfg.sender, cfg.recipients = "digest@example.org", ["a@example.org", "b@example.org"]


def test_email_multipart_text_and_html(setup: tuple[Store, Settings, Path], smtp: tuple[Controller, _Inbox]) -> None:
    store, settings, out = setup
    controller, inbox = smtp
    _email_settings(settings, controller)
    outcomes = {o.channel: o for o in pipeline.deliver_day(store, settings, DAY, out)}
    assert outcomes["email"].status == "sent", outcomes["email"].error
    assert len(inbox.messages) == 1
    sender, rcpts, raw = inbox.messages[0]
    assert sender == "digest@example.org" and rcpts == ["a@example.org", "b@example.org"]
    msg = email.message_from_bytes(raw, policy=policy.default)
    assert msg["Subject"] == "🤖 AI 뉴스 - 2026년 01월 20일" and msg.get_content_type() == "multipart/alternative"
    plain = msg.get_body(("plain",)).get_content()
    html_part = msg.get_body(("html",)).get_content()
    assert re.search(r"^\d+\. AI 뉴스 0번", plain, re.M) and "https://news.example.com/2026-01-20/0" in plain
    assert not re.search(r"· (javascript|data|vbscript):", plain, re.I)
    page = out / "mail.html"
    page.write_text(html_part, encoding="utf-8")
    assert_inert(page)
    assert "&lt;script&gt;" in html_part
    assert pipeline.deliver_day(store, settings, DAY, out)[2].status == "already-sent" and len(inbox.messages) == 1


def test_email_starttls_refused_is_reported_not_raised(setup: tuple[Store, Settings, Path],
                                                       smtp: tuple[Controller, _Inbox],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    store, settings, out = setup
    controller, inbox = smtp
    _email_settings(settings, controller, starttls=True)  # this server offers no STARTTLS
    settings.delivery.email.username, settings.delivery.email.password_env = "user", "TEST_SMTP_PASSWORD"
    monkeypatch.setenv("TEST_SMTP_PASSWORD", PASSWORD)
    outcome = pipeline.deliver_day(store, settings, DAY, out)[2]
    assert outcome.channel == "email" and outcome.status == "failed"
    assert "STARTTLS" in (outcome.error or "") and PASSWORD not in (outcome.error or "")
    assert inbox.messages == []


def test_nothing_sent_for_an_empty_day(tmp_path: Path, httpserver: HTTPServer,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(db=str(tmp_path / "a.db"))
    store = Store(settings.db_url)
    pipeline.publish_day(store, settings, DAY, tmp_path / "out")
    settings.delivery.slack.webhook_url_env = "TEST_SLACK_URL"
    monkeypatch.setenv("TEST_SLACK_URL", httpserver.url_for(SLACK_PATH))
    outcome = pipeline.deliver_day(store, settings, DAY, tmp_path / "out")[0]
    assert outcome.status == "empty" and store.delivery_status("slack", DAY) is None
    assert len(httpserver.log) == 0
    store.close()
