"""Secrets never reach output: receivers that echo the secret back in their error (a Slack webhook
answering 500 with its path, a Telegram-like bot echoing its token, an SMTP server echoing the
AUTH credentials) and a real `ainews run --json -v` in a subprocess; the secret must be in none of
stdout, stderr, the JSON report, the deliveries table or a log record."""

from __future__ import annotations

import base64
import json
import logging
import os
import socket
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from pytest_httpserver import HTTPServer
from sqlalchemy import text
from werkzeug import Request, Response

from ainews import redact
from ainews.store import Store
from tests.support.published import add_article

DAY = date(2026, 1, 20)
SLACK_PATH = "/services/T0SECRET/B0SECRET/slackpathsecret42"
TOKEN = "4242:telegram-token-secret-xyz"
PASSWORD = "smtp-password-secret-77"
REPO = Path(__file__).resolve().parents[1]


class _EchoAuth:
    """An SMTP server that rejects AUTH and echoes the credentials it was sent, decoded and not."""

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, ANN201, N802 - aiosmtpd hook
        return "250 OK"

    async def auth_PLAIN(self, server, args):  # noqa: ANN001, ANN201, N802 - aiosmtpd hook
        blob = args[1] if len(args) > 1 else ""
        decoded = base64.b64decode(blob).decode("utf-8", "replace").replace("\0", ":")
        await server.push(f"535 5.7.8 rejected {blob} ({decoded})")
        return AuthResult(success=False, handled=True)


def _echo(request: Request) -> Response:
    return Response(f"internal error at {request.path}?{request.query_string.decode()}", status=500)


@pytest.fixture
def smtp_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(_EchoAuth(), hostname="127.0.0.1", port=port, auth_require_tls=False,
                            auth_exclude_mechanism=["LOGIN"])
    controller.start()
    yield port
    controller.stop()


def _config(tmp_path: Path, server: HTTPServer, smtp_port: int) -> Path:
    config = tmp_path / "config.toml"
    config.write_text(f"""
[http]
per_host_delay = 0.0
retries = 0
timeout = 5.0
[delivery.slack]
webhook_url_env = "REDACT_SLACK"
[delivery.telegram]
bot_token_env = "REDACT_TG"
chat_id = "42"
api_base = "{server.url_for('/').rstrip('/')}"
[delivery.email]
host = "127.0.0.1"
port = {smtp_port}
starttls = false
username = "digest@example.org"
password_env = "REDACT_SMTP"
sender = "digest@example.org"
recipients = ["me@example.org"]
""", encoding="utf-8")
    return config


def _secret_parts() -> list[str]:
    return [SLACK_PATH, "slackpathsecret42", "T0SECRET/B0SECRET", TOKEN, "telegram-token-secret", PASSWORD,
            base64.b64encode(f"\0digest@example.org\0{PASSWORD}".encode()).decode()]


def test_run_json_verbose_leaks_no_secret(tmp_path: Path, httpserver: HTTPServer, smtp_port: int) -> None:
    httpserver.expect_request(SLACK_PATH, method="POST").respond_with_handler(_echo)
    httpserver.expect_request(f"/bot{TOKEN}/sendMessage", method="POST").respond_with_handler(_echo)
    httpserver.expect_request("/rss.xml").respond_with_handler(_echo)  # a failing source, echoing too
    db = tmp_path / "a.db"
    store = Store(f"sqlite:///{db}")
    for n in range(3):
        add_article(store, DAY, n)
    store.close()
    sources = tmp_path / "sources.toml"
    feed = httpserver.url_for("/rss.xml").replace("http://", f"http://user:{PASSWORD}@") + f"?token={TOKEN}"
    sources.write_text(f'[[source]]\nname = "s"\nurl = "{feed}"\nkind = "feed"\n', encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO), "REDACT_SLACK": httpserver.url_for(SLACK_PATH),
           "REDACT_TG": TOKEN, "REDACT_SMTP": PASSWORD}
    proc = subprocess.run(
        [sys.executable, "-m", "ainews.cli", "-v", "--db", str(db), "--config", str(_config(tmp_path, httpserver,
         smtp_port)), "run", "--json", "--sources", str(sources), "--allow-private", "--date", DAY.isoformat(),
         "--out", str(tmp_path / "out")], capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = json.loads(proc.stdout)
    statuses = {d["channel"]: (d["status"], d["error"] or "") for d in report["deliveries"]}
    assert all(status == "failed" for status, _ in statuses.values()), statuses
    assert "500" in statuses["slack"][1] and "535" in statuses["email"][1], statuses
    assert "HTTP Request: POST" in proc.stderr  # the verbose httpx log lines were printed, redacted
    store = Store(f"sqlite:///{db}")
    with store.engine.connect() as conn:
        stored = " ".join(str(r[0]) for r in conn.execute(text("SELECT last_error FROM deliveries")))
    store.close()
    assert "500" in stored
    for part in _secret_parts():
        for where, output in (("stdout", proc.stdout), ("stderr", proc.stderr), ("deliveries", stored)):
            assert part not in output, f"{part!r} leaked into {where}"


def test_log_records_are_redacted(caplog: pytest.LogCaptureFixture) -> None:
    redact.remember([f"http://hooks.example{SLACK_PATH}", TOKEN])
    redact.install_log_filter()
    with caplog.at_level(logging.INFO):
        logging.getLogger("httpx").info('HTTP Request: POST %s "500"', f"https://hooks.slack.com{SLACK_PATH}")
        logging.getLogger("ainews.publish.deliver").warning("echo %s", f"/bot{TOKEN}/sendMessage")
    text_out = " ".join(r.getMessage() for r in caplog.records)
    assert "HTTP Request: POST" in text_out and "***" in text_out
    assert "slackpathsecret42" not in text_out and TOKEN not in text_out


@pytest.mark.parametrize(("raw", "leak"), [
    ("GET https://bob:hunter2secret@example.com/x", "hunter2secret"),
    ("https://api.example.com/v1?key=abc123secret&x=1", "abc123secret"),
    ("https://example.com/feed?token=zz-secret-zz", "zz-secret-zz"),
    ("https://example.com/a?sig=SIGVALUE99", "SIGVALUE99"),
    ("POST https://api.telegram.org/bot123456:AAE-other_token/sendMessage", "AAE-other_token"),
    ("https://hooks.slack.com/services/TX/BY/otherpath", "otherpath"),
    ("Authorization: Bearer sk-live-abcdefghijk", "sk-live-abcdefghijk"),
])
def test_generic_secret_shapes(raw: str, leak: str) -> None:
    cleaned = redact.redact(raw)
    assert leak not in cleaned and "***" in cleaned


def test_records_of_child_loggers_and_late_handlers_are_redacted() -> None:
    """A logger's filter does not see its children's records: every record is cleaned as it is made."""
    redact.remember([TOKEN])
    redact.install_log_filter()
    seen: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record)

    logger = logging.getLogger("ainews.collect.http.child")
    handler = Keep()
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        logger.info("fetch %s failed", f"https://x.example/bot{TOKEN}/getMe?key=abcdef123456")
        logging.getLogger("httpcore.http11").warning("echo %s", TOKEN)
    finally:
        logger.removeHandler(handler)
    assert seen and TOKEN not in seen[0].getMessage() and "abcdef123456" not in seen[0].getMessage()
