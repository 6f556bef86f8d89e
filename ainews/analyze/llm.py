"""A small client for any OpenAI-compatible chat-completions endpoint (OpenAI, Ollama, vLLM).

Why its own module: the summarizer must survive every failure of a remote model, so this client
turns all of them (timeouts, HTTP errors, malformed answers, exhausted budget) into one `LlmError`
whose text never carries the API key. The key is read from the environment at call time only.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import time
from dataclasses import dataclass
from typing import Any

import httpx

from ainews.config import LlmSettings
from ainews.errors import AinewsError
from ainews.redact import redact
from ainews.text.dates import http_date

log = logging.getLogger(__name__)

PROMPT_VERSION = "ko-3line-v1"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_WAIT = 30.0  # never sleep longer than this on a server's Retry-After
BASE_BACKOFF = 0.5
MAX_BODY_CHARS = 4000  # enough for a news article's facts, bounded cost per call

SYSTEM_PROMPT = (
    "당신은 한국어 뉴스 편집자입니다. 주어진 기사 본문만 근거로 사실 위주의 요약을 씁니다. "
    "본문에 없는 사실, 숫자, 이름, 추측, 의견을 절대 덧붙이지 마세요."
)
USER_TEMPLATE = (
    "다음 기사를 {n}줄로 요약하세요.\n"
    "- 각 줄은 완결된 한국어 문장 하나이며 '~다.'로 끝납니다.\n"
    "- 누가, 무엇을, 언제, 왜 했는지 핵심 사실만 담습니다.\n"
    "- 번호, 기호, 머리말 없이 요약 문장만 한 줄에 하나씩 출력합니다.\n\n"
    "제목: {title}\n\n본문:\n{body}"
)
_BULLET = re.compile(r"^\s*(?:[-*•·▶>]+|\d{1,2}[.)]|\(\d{1,2}\)|[①-⑩])\s*")


class LlmError(AinewsError):
    """Any failure of the LLM path; the caller falls back to the extractive summary."""


@dataclass
class LlmBudget:
    """Calls allowed in one run: a shared counter so a big day cannot run up an unbounded bill."""

    max_calls: int
    used: int = 0

    def take(self) -> bool:
        if self.used >= self.max_calls:
            return False
        self.used += 1
        return True


def llm_configured(llm: LlmSettings) -> bool:
    return bool(llm.base_url.strip() and llm.model.strip())


def build_messages(title: str, body: str, n: int) -> list[dict[str, str]]:
    """The Korean prompt; its wording is versioned by PROMPT_VERSION (part of the cache key)."""
    text = body.strip()[:MAX_BODY_CHARS]
    user = USER_TEMPLATE.format(n=n, title=title.strip() or "(없음)", body=text)
    return [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": user}]


def parse_lines(text: str, n: int) -> list[str]:
    """Summary lines from a model answer: one per line, bullets and numbering removed."""
    lines = []
    for raw in text.replace("\r", "").split("\n"):
        line = _BULLET.sub("", raw).strip().strip('"').strip()
        if line and not line.endswith(":"):
            lines.append(line)
    return lines[:n]


def _endpoint(base_url: str) -> str:
    base = base_url.strip().rstrip("/")
    return base if base.endswith("/chat/completions") else base + "/chat/completions"


def _retry_after(response: httpx.Response) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or HTTP date), capped."""
    value = response.headers.get("retry-after", "").strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        parsed = http_date(value)
        if parsed is None:
            return None
        seconds = parsed.timestamp() - time.time()
    return max(0.0, min(seconds, MAX_RETRY_WAIT))


class ChatClient:
    """One shared async HTTP client; `complete()` retries transient failures, then raises LlmError."""

    def __init__(self, llm: LlmSettings, client: httpx.AsyncClient | None = None) -> None:
        self.llm = llm
        self._client = client or httpx.AsyncClient(timeout=llm.timeout)
        self._own_client = client is None

    async def __aenter__(self) -> ChatClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._own_client:
            await self._client.aclose()

    def _headers(self) -> tuple[dict[str, str], str | None]:
        key = os.environ.get(self.llm.api_key_env, "") if self.llm.api_key_env else ""
        headers = {"Content-Type": "application/json"}
        if key:
            headers["Authorization"] = f"Bearer {key}"
        return headers, key or None

    async def complete(self, messages: list[dict[str, str]], max_tokens: int = 400) -> str:
        """The assistant's text for `messages`; LlmError (key-free message) on any failure."""
        headers, key = self._headers()
        payload: dict[str, Any] = {"model": self.llm.model, "messages": messages, "temperature": 0,
                                   "max_tokens": max_tokens, "stream": False}
        attempts = max(1, self.llm.retries + 1)
        last = "no attempt"
        for attempt in range(attempts):
            wait = BASE_BACKOFF * (2**attempt)
            try:
                response = await self._client.post(_endpoint(self.llm.base_url), json=payload,
                                                   headers=headers, timeout=self.llm.timeout)
            except httpx.TimeoutException:
                last = f"timeout after {self.llm.timeout:g}s"
            except httpx.HTTPError as exc:
                last = redact(f"{type(exc).__name__}: {exc}", [key] if key else [])
            else:
                if response.status_code == 200:
                    return _content(response)
                last = f"HTTP {response.status_code}"
                if response.status_code not in RETRY_STATUSES:
                    break
                wait = _retry_after(response) if _retry_after(response) is not None else wait
            if attempt + 1 < attempts:
                log.info("LLM call failed (%s), retry %d/%d in %.1fs", last, attempt + 1, attempts - 1, wait)
                await asyncio.sleep(wait)
        raise LlmError(f"LLM request failed: {last}")


def _content(response: httpx.Response) -> str:
    try:
        data = response.json()
        content = data["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise LlmError(f"malformed chat-completions answer ({type(exc).__name__})") from None
    if not isinstance(content, str) or not content.strip():
        raise LlmError("empty chat-completions answer")
    return content
