"""`ainews run` end to end on a local feed: collect → … → publish → deliver, twice.

The second run must write byte-identical files and deliver nothing again."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner
from werkzeug import Request, Response

from ainews.cli import app
from tests.support.published import tree_bytes

runner = CliRunner()
TOKEN = "999:run-test-token"
TITLES = ["오픈AI, 새 생성형 AI 모델 공개", "삼성전자, AI 반도체 양산 발표", "네이버, 하이퍼클로바X 인공지능 업데이트"]


BODIES = [
    "오픈AI가 20일 새로운 생성형 AI 모델을 공개했다. 이 모델은 추론 능력과 코드 작성 능력이 크게 좋아졌으며 "
    "기업용 API로 먼저 제공된다. 샘 올트먼 최고경영자는 안전성 평가를 거쳐 순차적으로 출시하겠다고 말했다.",
    "삼성전자가 차세대 AI 반도체인 HBM4 양산을 시작한다고 발표했다. 평택 공장에서 생산되는 이 메모리는 "
    "엔비디아 등 글로벌 고객사에 공급될 예정이며, 회사는 데이터센터 수요 증가에 대응하겠다고 설명했다.",
    "네이버가 초거대 인공지능 하이퍼클로바X의 업데이트 버전을 내놓았다. 한국어 이해 능력과 검색 연동 기능이 "
    "강화됐고, 공공기관과 중소기업을 위한 전용 요금제도 함께 선보였다고 네이버클라우드는 밝혔다.",
]


def _article(title: str, n: int) -> str:
    paragraphs = "".join(f"<p>{sentence}다.</p>" for sentence in BODIES[n].split("다. ") if sentence)
    return (f"<!doctype html><html lang='ko'><head><meta charset='utf-8'><title>{title}</title>"
            f"<meta property='og:title' content='{title}'>"
            f"<meta property='article:published_time' content='2026-01-20T08:0{n}:00+09:00'></head>"
            f"<body><article><h1>{title}</h1>{paragraphs}</article></body></html>")


def _serve_site(server: HTTPServer) -> None:
    server.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n")
    items = ""
    for n, title in enumerate(TITLES):
        url = server.url_for(f"/news/{n}.html")
        server.expect_request(f"/news/{n}.html").respond_with_data(_article(title, n), content_type="text/html")
        items += (f"<item><title>{title}</title><link>{url}</link><guid>{url}</guid>"
                  f"<pubDate>Tue, 20 Jan 2026 08:0{n}:00 +0900</pubDate></item>")
    feed = (f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>테스트 매체</title>"
            f"<link>{server.url_for('/')}</link>{items}</channel></rss>")
    server.expect_request("/rss.xml").respond_with_data(feed, content_type="application/rss+xml")


class _Receiver:
    def __init__(self) -> None:
        self.slack: list[dict] = []
        self.telegram: list[dict] = []
        self.mail: list[bytes] = []

    def slack_hook(self, request: Request) -> Response:
        self.slack.append(json.loads(request.data))
        return Response("ok")

    def bot(self, request: Request) -> Response:
        self.telegram.append(json.loads(request.data))
        return Response('{"ok": true}', content_type="application/json")

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, ANN201, N802 - aiosmtpd hook
        self.mail.append(envelope.content)
        return "250 OK"


@pytest.fixture
def receiver(httpserver: HTTPServer) -> _Receiver:
    rec = _Receiver()
    httpserver.expect_request("/hooks/slack", method="POST").respond_with_handler(rec.slack_hook)
    httpserver.expect_request(f"/bot{TOKEN}/sendMessage", method="POST").respond_with_handler(rec.bot)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(rec, hostname="127.0.0.1", port=port)
    controller.start()
    rec.smtp_port = port  # type: ignore[attr-defined]
    yield rec
    controller.stop()


def _config(tmp_path: Path, server: HTTPServer, smtp_port: int) -> Path:
    config = tmp_path / "config.toml"
    config.write_text(f"""
output_dir = "{tmp_path / 'default-out'}"
[http]
per_host_delay = 0.0
retries = 0
timeout = 5.0
[delivery.slack]
webhook_url_env = "RUN_TEST_SLACK"
[delivery.telegram]
bot_token_env = "RUN_TEST_TG"
chat_id = "42"
api_base = "{server.url_for('/').rstrip('/')}"
[delivery.email]
host = "127.0.0.1"
port = {smtp_port}
starttls = false
sender = "digest@example.org"
recipients = ["me@example.org"]
""", encoding="utf-8")
    return config


def _sources(tmp_path: Path, server: HTTPServer) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(f'[[source]]\nname = "테스트 매체"\nurl = "{server.url_for("/rss.xml")}"\nkind = "feed"\n',
                    encoding="utf-8")
    return path


def test_run_twice_is_idempotent(tmp_path: Path, httpserver: HTTPServer, receiver: _Receiver,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    _serve_site(httpserver)
    monkeypatch.setenv("RUN_TEST_SLACK", httpserver.url_for("/hooks/slack"))
    monkeypatch.setenv("RUN_TEST_TG", TOKEN)
    config = _config(tmp_path, httpserver, receiver.smtp_port)  # type: ignore[attr-defined]
    out = tmp_path / "out"
    args = ["--db", str(tmp_path / "a.db"), "--config", str(config), "run", "--sources",
            str(_sources(tmp_path, httpserver)), "--allow-private", "--date", "2026-01-20", "--out", str(out)]
    first = runner.invoke(app, [*args, "--json"], catch_exceptions=False)
    assert first.exit_code == 0, first.output
    report = json.loads(first.stdout)
    assert report["collect"]["articles_new"] == 3, report
    assert {d["channel"]: d["status"] for d in report["deliveries"]} == {
        "slack": "sent", "telegram": "sent", "email": "sent"}
    for rel in ("digests/2026/2026-01-20.md", "digests/2026/2026-01-20.json", "digests/README.md",
                "site/index.html", "site/atom.xml", "site/rss.xml"):
        assert (out / rel).is_file(), rel
    data = json.loads((out / "digests/2026/2026-01-20.json").read_text(encoding="utf-8"))
    assert {it["title"] for it in data["items"]} == set(TITLES)
    snapshot = tree_bytes(out)
    sent = (len(receiver.slack), len(receiver.telegram), len(receiver.mail))
    assert sent[0] == 1 and sent[1] >= 1 and sent[2] == 1
    second = runner.invoke(app, args, catch_exceptions=False)
    assert second.exit_code == 0, second.output
    assert tree_bytes(out) == snapshot  # byte-identical, nothing added
    assert (len(receiver.slack), len(receiver.telegram), len(receiver.mail)) == sent  # nothing delivered twice
    assert "already-sent" in second.output
    assert TOKEN not in first.output + second.output


def test_run_no_deliver_uses_configured_output(tmp_path: Path, httpserver: HTTPServer, receiver: _Receiver,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    _serve_site(httpserver)
    config = _config(tmp_path, httpserver, receiver.smtp_port)  # type: ignore[attr-defined]
    args = ["--db", str(tmp_path / "a.db"), "--config", str(config), "run", "--sources",
            str(_sources(tmp_path, httpserver)), "--allow-private", "--date", "2026-01-20", "--no-deliver"]
    result = runner.invoke(app, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "default-out" / "digests" / "2026" / "2026-01-20.md").is_file()
    assert receiver.slack == [] and receiver.telegram == [] and receiver.mail == []


def test_run_survives_a_dead_source_and_bad_input(tmp_path: Path) -> None:
    sources = tmp_path / "sources.toml"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}/rss.xml"
    sources.write_text(f'[[source]]\nname = "dead"\nurl = "{dead}"\n', encoding="utf-8")
    base = ["--db", str(tmp_path / "a.db"), "run", "--sources", str(sources), "--allow-private",
            "--out", str(tmp_path / "out"), "--no-deliver"]
    result = runner.invoke(app, [*base, "--date", "2026-01-20"])
    assert result.exit_code == 0, result.output  # nothing collected, an empty digest is still published
    assert (tmp_path / "out" / "site" / "index.html").is_file()
    bad = runner.invoke(app, [*base, "--date", "2026-02-30"])
    assert bad.exit_code == 2 and "bad date" in bad.output and "Traceback" not in bad.output
    missing = runner.invoke(app, ["--db", str(tmp_path / "a.db"), "run", "--sources", str(tmp_path / "nope.toml")])
    assert missing.exit_code == 2 and "Traceback" not in missing.output
