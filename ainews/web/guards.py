"""What keeps the web app's edges safe: response headers with the static site's CSP discipline, and
parameter bounds that turn huge numbers and out-of-range dates into a clear 4xx instead of a
database overflow (a 500). Kept apart from app.py so the routes only name the bounded types."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import HTTPException, Path, Query
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# No script at all, nothing embedded from elsewhere, no framing; the app's own CSS, SVG and forms.
CSP = ("default-src 'none'; script-src 'none'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
       "form-action 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'")
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
]

MIN_DAY, MAX_DAY = date(1970, 1, 1), date(2100, 12, 31)
MAX_OFFSET = 1_000_000
MAX_ID = 2**63 - 1  # the largest id SQLite and PostgreSQL BIGINT can compare against

Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description=f"0 … {MAX_OFFSET}")]
RowId = Annotated[int, Path(ge=1, le=MAX_ID)]
Count = Annotated[int, Query(ge=1, le=100_000)]


def in_range(day: date, value: str = "") -> date:
    """The date itself, or a 400 saying which dates the archive can hold."""
    if not MIN_DAY <= day <= MAX_DAY:
        raise HTTPException(400, f"date out of range: {value or day} (use {MIN_DAY} … {MAX_DAY})")
    return day


class SecurityHeaders:
    """ASGI middleware adding the security headers to every HTTP response (errors and static files too)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *(h for h in HEADERS if h[0] not in names)]
            await send(message)

        await self.app(scope, receive, send_with_headers)
