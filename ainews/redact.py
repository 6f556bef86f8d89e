"""One place that removes secrets from text before it is printed, logged, stored or returned.

It knows the configured secrets (the values of the environment variables the config names:
Slack webhook URL and its path, Telegram token, SMTP password, LLM API key, web token) and the
generic shapes secrets take in URLs and protocol echoes (userinfo, `token=`/`key=`/`sig=` query
values, `/bot<token>/`, `/services/…`, `Bearer …`, SMTP AUTH base64), because a failing server
may echo any part of a request back in its error text.
"""

from __future__ import annotations

import base64
import contextlib
import logging
import os
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote, urlsplit

MASK = "***"
MIN_SECRET = 4
_known: set[str] = set()

_SHAPES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@?#]+@"), rf"\1{MASK}@"),  # userinfo
    (re.compile(r"(?i)([?&;](?:access_token|api_key|apikey|auth|key|password|passwd|pwd|secret|sig|signature"
                r"|token|x-amz-signature)=)[^&\s#\"'<>]+"), rf"\1{MASK}"),
    (re.compile(r"/bot\d+:[A-Za-z0-9_-]+"), f"/bot{MASK}"),  # Telegram bot token in a path
    (re.compile(r"/services/[A-Za-z0-9_/-]+"), f"/services/{MASK}"),  # Slack webhook path
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}"), rf"\1 {MASK}"),
    (re.compile(r"(?i)\b(AUTH\s+(?:PLAIN|LOGIN|CRAM-MD5|XOAUTH2)\s+)\S+"), rf"\1{MASK}"),
]


def secret_forms(secret: str) -> set[str]:
    """Every form in which a secret may be echoed: as is, URL-quoted, base64, a URL's path."""
    if len(secret) < MIN_SECRET:
        return set()
    forms = {secret, quote(secret, safe=""), quote(secret, safe="/:"), _b64(secret)}
    if "://" in secret:
        parts = urlsplit(secret)
        forms |= {secret.split("://", 1)[1], parts.path, parts.query, parts.password or ""}
        last = parts.path.rstrip("/").rsplit("/", 1)[-1]
        forms |= {last} if len(last) >= 8 else set()
    return {f for f in forms if len(f) >= MIN_SECRET and f != "/"}


def _b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def remember(secrets: Iterable[str], username: str = "") -> None:
    """Add configured secrets (and, for SMTP, the AUTH PLAIN blob with `username`) to the known set."""
    for secret in secrets:
        if secret and len(secret) >= MIN_SECRET:
            _known.update(secret_forms(secret))
            if username:
                _known.update({_b64(f"\0{username}\0{secret}"), _b64(f"{username}\0{username}\0{secret}")})


def forget_all() -> None:
    """For tests: start from an empty set of known secrets."""
    _known.clear()


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` with every known or given secret, and every secret-shaped URL part, replaced by ***."""
    if not text:
        return text
    forms = set(_known)
    for secret in secrets:
        forms |= secret_forms(secret) if secret else set()
    for form in sorted(forms, key=len, reverse=True):
        text = text.replace(form, MASK)
    for pattern, repl in _SHAPES:
        text = pattern.sub(repl, text)
    return text


def redact_any(value: Any) -> Any:
    """A JSON-like value with every string in it redacted."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {k: redact_any(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact_any(v) for v in value]
    return value


def configured_secrets(settings: Any, env: Mapping[str, str] | None = None) -> list[str]:
    """Values of every secret-holding environment variable the settings name."""
    env = os.environ if env is None else env
    d = settings.delivery
    names = [d.slack.webhook_url_env, d.telegram.bot_token_env, d.email.password_env,
             settings.llm.api_key_env, getattr(settings.web, "token_env", "")]
    return [env.get(n, "") for n in names if n and env.get(n)]


def remember_settings(settings: Any, env: Mapping[str, str] | None = None) -> None:
    remember(configured_secrets(settings, env), username=settings.delivery.email.username)


class RedactingFilter(logging.Filter):
    """Rewrites a record's message (after %-formatting) and exception text so no secret gets through."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and record.exc_info[1] is not None:
            trace = logging.Formatter().formatException(record.exc_info)
            if redact(trace) != trace:  # only then: others may still want the exception object
                record.exc_text, record.exc_info = redact(trace), None
        return True


LOGGERS = ("ainews", "httpx", "httpcore", "smtplib", "uvicorn.access", "uvicorn.error")
_filter = RedactingFilter()
_factory_installed = False


def install_log_filter() -> RedactingFilter:
    """Put the one filter on our and the HTTP libraries' loggers and on the root handlers, and on
    every record as it is made (a logger's filter does not see its children's records). Idempotent."""
    global _factory_installed
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if _filter not in logger.filters:
            logger.addFilter(_filter)
    for handler in logging.getLogger().handlers:
        if _filter not in handler.filters:
            handler.addFilter(_filter)
    if not _factory_installed:
        make = logging.getLogRecordFactory()

        def redacted_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
            record = make(*args, **kwargs)
            with contextlib.suppress(Exception):  # a malformed record is logging's to report, not ours
                _filter.filter(record)
            return record

        logging.setLogRecordFactory(redacted_record)
        _factory_installed = True
    return _filter
