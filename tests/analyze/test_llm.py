"""The LLM summary path against a real local HTTP server speaking the chat-completions API."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from ainews.analyze.llm import ChatClient, LlmError, parse_lines
from ainews.analyze.summarize import (
    cache_key,
    faithfulness_problem,
    summarize_article,
    summarize_articles,
    summarize_jsonl,
)
from ainews.config import LlmSettings, Settings
from ainews.models import Article
from ainews.store import Store

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "summarize"
KEY_ENV = "AINEWS_TEST_LLM_KEY"
SECRET = "sk-test-SECRET-4f9a2c"
FAITHFUL = ("한빛전자가 10일 초거대 AI 모델 '한빛-2'를 공개했다.\n"
            "- 한빛-2는 매개변수 700억 개 규모로 한국어 평가에서 기존 모델보다 15% 높은 점수를 받았다.\n"
            "3. 한빛전자는 올해 AI 연구개발에 3000억 원을 투자할 예정이다.")
HALLUCINATED = ("한빛전자가 화성 탐사 로켓을 발사했다.\n"
                "일론 머스크가 우주 정거장 건설 계약을 축하했다.\n"
                "주가는 하루 만에 42% 폭등했다.")

Reply = tuple[int, dict[str, str], str, float]  # status, headers, content, delay seconds


@dataclass
class FakeLlm:
    """Scripted replies, one per request (the last one repeats); records requests and concurrency."""

    replies: list[Reply] = field(default_factory=list)
    requests: list[dict] = field(default_factory=list)
    auth: list[str] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    base_url: str = ""

    def reply(self) -> Reply:
        with self.lock:
            index = min(len(self.requests) - 1, len(self.replies) - 1)
            return self.replies[index] if self.replies else (200, {}, FAITHFUL, 0.0)


def _handler(fake: FakeLlm) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # keep test output quiet
            pass

        def do_POST(self) -> None:  # noqa: N802 - http.server API
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            with fake.lock:
                fake.requests.append(body)
                fake.auth.append(self.headers.get("Authorization", ""))
                fake.in_flight += 1
                fake.max_in_flight = max(fake.max_in_flight, fake.in_flight)
            status, headers, content, delay = fake.reply()
            time.sleep(delay)
            with fake.lock:
                fake.in_flight -= 1
            if self.path != "/v1/chat/completions":
                status, content = 404, "not found"
            payload = (json.dumps({"id": "x", "object": "chat.completion", "model": body.get("model"),
                                   "choices": [{"index": 0, "finish_reason": "stop",
                                                "message": {"role": "assistant", "content": content}}]})
                       if status == 200 else json.dumps({"error": {"message": content}}))
            data = payload.encode("utf-8")
            try:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):  # the client timed out and left
                pass

    return Handler


@pytest.fixture
def fake_llm() -> Iterator[FakeLlm]:
    fake = FakeLlm()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture
def article() -> Article:
    body = (FIXTURES / "article_ko.txt").read_text(encoding="utf-8")
    return Article(url="https://news.example/hanbit", title="한빛전자, 초거대 AI '한빛-2' 공개", body=body,
                   content_hash="hash-hanbit-1")


def llm_settings(fake: FakeLlm, monkeypatch: pytest.MonkeyPatch, **llm: object) -> Settings:
    monkeypatch.setenv(KEY_ENV, SECRET)
    settings = Settings()
    settings.summary.method = "llm"
    settings.llm = LlmSettings(base_url=fake.base_url, model="test-model", api_key_env=KEY_ENV,
                               timeout=2.0, retries=1, concurrency=2, max_calls=50)
    for name, value in llm.items():
        setattr(settings.llm, name, value)
    return settings


def test_success_uses_the_model_and_sends_the_key(fake_llm: FakeLlm, article: Article,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    summary = summarize_article(article, llm_settings(fake_llm, monkeypatch))
    assert summary.method == "llm"
    assert summary.sentences[0] == "한빛전자가 10일 초거대 AI 모델 '한빛-2'를 공개했다."
    assert summary.sentences[1].startswith("한빛-2는") and summary.sentences[2].startswith("한빛전자는")
    request = fake_llm.requests[0]
    assert request["model"] == "test-model" and request["temperature"] == 0
    assert "3줄" in request["messages"][1]["content"] and "700억" in request["messages"][1]["content"]
    assert fake_llm.auth == [f"Bearer {SECRET}"]


def test_second_run_is_served_from_the_store_cache(fake_llm: FakeLlm, article: Article, db_url: str,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    settings = llm_settings(fake_llm, monkeypatch)
    store = Store(db_url)
    try:
        first = summarize_article(article, settings, store)
        assert len(fake_llm.requests) == 1
        second = summarize_article(article, settings, Store(db_url))
        assert len(fake_llm.requests) == 1  # no request the second time
        assert second == first and second.method == "llm"
        assert store.llm_cache_get(cache_key(article, "test-model")) == first.sentences
        settings.llm.model = "other-model"  # another model is another cache entry
        summarize_article(article, settings, store)
        assert len(fake_llm.requests) == 2
    finally:
        store.close()


def test_timeout_falls_back_to_extractive(fake_llm: FakeLlm, article: Article,
                                          monkeypatch: pytest.MonkeyPatch,
                                          caplog: pytest.LogCaptureFixture) -> None:
    fake_llm.replies = [(200, {}, FAITHFUL, 1.5)]
    settings = llm_settings(fake_llm, monkeypatch, timeout=0.3, retries=1)
    with caplog.at_level(logging.INFO):
        summary = summarize_article(article, settings)
    assert summary.method == "extractive"
    assert summary.sentences[0].startswith("한빛전자가 10일 자체 개발한")
    assert len(fake_llm.requests) == 2  # one retry, then give up
    assert "timeout" in caplog.text and "fell back to extractive" in caplog.text


def test_429_with_retry_after_is_retried(fake_llm: FakeLlm, article: Article,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    fake_llm.replies = [(429, {"Retry-After": "1"}, "slow down", 0.0), (200, {}, FAITHFUL, 0.0)]
    settings = llm_settings(fake_llm, monkeypatch, retries=2)
    start = time.monotonic()
    summary = summarize_article(article, settings)
    assert summary.method == "llm"
    assert len(fake_llm.requests) == 2
    assert time.monotonic() - start >= 0.9  # waited as the server asked


def test_hallucinated_output_is_rejected(fake_llm: FakeLlm, article: Article,
                                         monkeypatch: pytest.MonkeyPatch, db_url: str,
                                         caplog: pytest.LogCaptureFixture) -> None:
    fake_llm.replies = [(200, {}, HALLUCINATED, 0.0)]
    store = Store(db_url)
    try:
        with caplog.at_level(logging.WARNING):
            summary = summarize_article(article, llm_settings(fake_llm, monkeypatch), store)
        assert summary.method == "extractive"
        assert not any("화성" in s for s in summary.sentences)
        assert "faithfulness" in caplog.text
        assert store.llm_cache_get(cache_key(article, "test-model")) is None  # rejected: not cached
    finally:
        store.close()


def test_faithfulness_check_catches_new_numbers() -> None:
    source = "회사는 올해 AI 연구개발에 3000억 원을 투자한다고 밝혔다."
    assert faithfulness_problem(["회사는 올해 AI 연구개발에 3000억 원을 투자한다."], source) is None
    problem = faithfulness_problem(["회사는 올해 AI 연구개발에 5000억 원을 투자한다."], source)
    assert problem is not None and "5000" in problem
    assert faithfulness_problem([], source) == "no sentences"


def test_key_never_reaches_logs_or_errors(fake_llm: FakeLlm, article: Article,
                                          monkeypatch: pytest.MonkeyPatch,
                                          caplog: pytest.LogCaptureFixture) -> None:
    fake_llm.replies = [(401, {}, f"invalid key {SECRET}", 0.0)]
    settings = llm_settings(fake_llm, monkeypatch, retries=2)
    with caplog.at_level(logging.DEBUG):
        summary = summarize_article(article, settings)
        assert summary.method == "extractive"
        assert len(fake_llm.requests) == 1  # 401 is not retried
        import asyncio

        async def call() -> str:
            async with ChatClient(settings.llm) as client:
                await client.complete([{"role": "user", "content": "x"}])
            return ""

        with pytest.raises(LlmError) as err:
            asyncio.run(call())
        settings.llm.base_url = "http://127.0.0.1:9/v1"  # nothing listens: connection error
        with pytest.raises(LlmError) as conn_err:
            asyncio.run(call())
    assert "HTTP 401" in str(err.value)
    texts = [caplog.text, str(err.value), repr(err.value), str(conn_err.value)]
    assert "fell back" in caplog.text
    assert all(SECRET not in text for text in texts)


def test_budget_limits_calls_per_run(fake_llm: FakeLlm, article: Article,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    settings = llm_settings(fake_llm, monkeypatch, max_calls=2)
    articles = [Article(url=f"https://news.example/{i}", title=article.title, body=article.body,
                        content_hash=f"h{i}") for i in range(4)]
    methods = [s.method for s in summarize_articles(articles, settings)]
    assert methods.count("llm") == 2 and methods.count("extractive") == 2
    assert len(fake_llm.requests) == 2


def test_concurrency_limit_is_respected(fake_llm: FakeLlm, article: Article,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    fake_llm.replies = [(200, {}, FAITHFUL, 0.3)]
    settings = llm_settings(fake_llm, monkeypatch, concurrency=2)
    articles = [Article(url=f"https://news.example/{i}", title=article.title, body=article.body,
                        content_hash=f"c{i}") for i in range(5)]
    summaries = summarize_articles(articles, settings)
    assert [s.method for s in summaries] == ["llm"] * 5
    assert fake_llm.max_in_flight == 2


def test_llm_method_without_endpoint_uses_extractive(article: Article,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    settings = Settings()
    settings.summary.method = "llm"
    summary = summarize_article(article, settings)
    assert summary.method == "extractive" and len(summary.sentences) == 3
    assert "not set" in caplog.text


def test_jsonl_with_llm_method(fake_llm: FakeLlm, article: Article, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = llm_settings(fake_llm, monkeypatch)
    settings.summary.method = "extractive"
    lines = [json.dumps({"id": 7, "text": article.body, "title": article.title}, ensure_ascii=False)]
    out = [json.loads(x) for x in summarize_jsonl(lines, settings, "llm")]
    assert out == [{"id": 7, "summary": parse_lines(FAITHFUL, 3), "method": "llm"}]


def test_summarize_inside_a_running_event_loop(fake_llm: FakeLlm, article: Article,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    import asyncio

    settings = llm_settings(fake_llm, monkeypatch)

    async def inside() -> str:
        return summarize_article(article, settings).method

    assert asyncio.run(inside()) == "llm"


@pytest.mark.parametrize(("answer", "lines"), [
    ("1. 가는 갔다.\n2) 나는 왔다.\n\n- 다는 섰다.\n• 라는 앉았다.", ["가는 갔다.", "나는 왔다.", "다는 섰다."]),
    ("요약:\n① 하나다.\n② 둘이다.", ["하나다.", "둘이다."]),
])
def test_parse_lines_strips_numbering(answer: str, lines: list[str]) -> None:
    assert parse_lines(answer, 3) == lines


def test_malformed_answer_is_an_error(fake_llm: FakeLlm, monkeypatch: pytest.MonkeyPatch) -> None:
    import asyncio

    fake_llm.replies = [(200, {}, "", 0.0)]
    settings = llm_settings(fake_llm, monkeypatch)

    async def call() -> str:
        async with ChatClient(settings.llm) as client:
            return await client.complete([{"role": "user", "content": "x"}])

    with pytest.raises(LlmError, match="empty"):
        asyncio.run(call())



def test_429_with_a_retry_after_that_is_no_date_is_retried(fake_llm: FakeLlm, article: Article,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A Retry-After neither seconds nor an HTTP date ("soon") is ignored: the usual backoff, no crash
    (before ainews.text.dates.http_date, email.utils raised ValueError out of the retry loop)."""
    fake_llm.replies = [(429, {"Retry-After": "soon"}, "slow down", 0.0), (200, {}, FAITHFUL, 0.0)]
    settings = llm_settings(fake_llm, monkeypatch, retries=2)
    summary = summarize_article(article, settings)
    assert summary.method == "llm"
    assert len(fake_llm.requests) == 2
