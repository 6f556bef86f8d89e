"""Watch alerts and per-channel digest filters against a real local webhook receiver
(pytest-httpserver) and a real SQLite store: one alert per watch and story, never twice."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner
from werkzeug import Request, Response

from ainews import pipeline
from ainews.analyze.watch import compile_watch, find_matches
from ainews.cli import app
from ainews.config import ConfigError, Settings, WatchSettings, load_settings
from ainews.publish import deliver
from ainews.publish.alerts import send_watch_alerts
from ainews.publish.records import PublishedDay
from ainews.store import Store
from tests.support.published import add_article

DAY = date(2026, 1, 20)
HOOK = "/services/T1/B1/alert-secret-path"
runner = CliRunner()


class Hook:
    """A Slack incoming webhook on 127.0.0.1 that keeps every payload."""

    def __init__(self, server: HTTPServer, status: int = 200) -> None:
        self.payloads: list[dict] = []
        self.status = status
        server.expect_request(HOOK, method="POST").respond_with_handler(self.handle)

    def handle(self, request: Request) -> Response:
        self.payloads.append(json.loads(request.data))
        return Response("ok" if self.status == 200 else "boom", status=self.status)

    @property
    def alerts(self) -> list[dict]:
        return [p for p in self.payloads if p["text"].startswith("🔔")]


def _settings(tmp_path: Path, server: HTTPServer, monkeypatch: pytest.MonkeyPatch, *watches: WatchSettings) -> Settings:
    settings = Settings(db=str(tmp_path / "a.db"))
    settings.http.timeout = 5.0
    settings.delivery.slack.webhook_url_env = "ALERT_TEST_SLACK"
    monkeypatch.setenv("ALERT_TEST_SLACK", server.url_for(HOOK))
    settings.watch = list(watches)
    return settings


UPSTAGE = WatchSettings(name="업스테이지", terms=["업스테이지", "솔라"], channels=["slack"])


def test_two_runs_send_one_alert_per_story(tmp_path: Path, httpserver: HTTPServer,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    hook = Hook(httpserver)
    settings = _settings(tmp_path, httpserver, monkeypatch, UPSTAGE)
    store = Store(settings.db_url)
    add_article(store, DAY, 1, title="업스테이지가 새 솔라 모델 공개", story_id="s-up", publisher="AI타임스",
                summary=["업스테이지가 한국어 특화 거대언어모델을 내놓았다.", "둘째 문장."],
                url="https://news.example.com/upstage")
    add_article(store, DAY, 2, title="솔라 프로 벤치마크 1위", story_id="s-up", publisher="ZDNet Korea")
    add_article(store, DAY, 3, title="네이버 새 AI 검색 발표", story_id="s-naver")
    first = send_watch_alerts(store, settings, DAY)
    assert [(o.watch, o.story, o.channel, o.status) for o in first] == [("업스테이지", "s-up", "slack", "sent")]
    assert len(hook.alerts) == 1
    text = hook.alerts[0]["blocks"][0]["text"]["text"]
    assert "업스테이지가 새 솔라 모델 공개" in text and "AI타임스" in text
    assert "<https://news.example.com/upstage|" in text and "한국어 특화 거대언어모델" in text
    assert send_watch_alerts(store, settings, DAY) == []  # the second run: nothing again
    add_article(store, DAY, 4, title="업스테이지, 일본 진출", story_id="s-up-jp")  # a new story alerts
    third = send_watch_alerts(store, settings, DAY)
    assert [o.story for o in third] == ["s-up-jp"] and len(hook.alerts) == 2
    store.close()


def test_failed_alert_is_retried_and_secret_free(tmp_path: Path, httpserver: HTTPServer,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    hook = Hook(httpserver, status=500)
    settings = _settings(tmp_path, httpserver, monkeypatch, UPSTAGE)
    store = Store(settings.db_url)
    add_article(store, DAY, 1, title="업스테이지 투자 유치", story_id="s-up")
    failed = send_watch_alerts(store, settings, DAY)
    assert [o.status for o in failed] == ["failed"]
    assert "alert-secret-path" not in (failed[0].error or "") and "500" in (failed[0].error or "")
    hook.status = 200
    assert [o.status for o in send_watch_alerts(store, settings, DAY)] == ["sent"]
    assert send_watch_alerts(store, settings, DAY) == []
    store.close()


def _articles(store: Store, titles: list[str], companies: list[list[str]] | None = None) -> list:
    for n, title in enumerate(titles):
        add_article(store, DAY, n, title=title, body=f"{title}. 자세한 내용은 다음과 같다.",
                    companies=(companies or [[]] * len(titles))[n])
    return store.articles_for_day(DAY)


def test_terms_match_on_morphemes_and_aliases(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'm.db'}")
    articles = _articles(store, ["메타버스 플랫폼 확대", "오픈AI가 새 모델 발표", "메타, 라마 4 공개"])
    meta = compile_watch(WatchSettings(name="메타", terms=["메타"], channels=["slack"]))
    openai = compile_watch(WatchSettings(name="openai", terms=["OpenAI"], channels=["slack"]))
    found = find_matches([meta, openai], articles)
    titles = {name: sorted(a.title for a in hits.values()) for name, hits in found.items()}
    assert titles == {"메타": ["메타, 라마 4 공개"], "openai": ["오픈AI가 새 모델 발표"]}
    store.close()


def test_companies_match_analysed_organisations(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'c.db'}")
    articles = _articles(store, ["새 AI 칩 발표", "다른 AI 소식"], [["삼성전자"], ["LG전자"]])
    watch = compile_watch(WatchSettings(name="삼성", companies=["삼성전자"], channels=["email"]))
    assert [a.title for a in find_matches([watch], articles)["삼성"].values()] == ["새 AI 칩 발표"]
    store.close()


def test_not_ai_articles_alert_only_when_asked(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'n.db'}")
    add_article(store, DAY, 1, title="업스테이지 사옥 이전", relevance=0.1)
    articles = store.articles_for_day(DAY)
    strict = compile_watch(WatchSettings(name="a", terms=["업스테이지"], channels=["slack"]))
    loose = compile_watch(WatchSettings(name="b", terms=["업스테이지"], channels=["slack"], ai_only=False))
    assert {k: len(v) for k, v in find_matches([strict, loose], articles).items()} == {"a": 0, "b": 1}
    store.close()


@pytest.mark.parametrize(("body", "message"), [
    ('[[watch]]\nterms = ["x"]\nchannels = ["slack"]', "needs a name"),
    ('[[watch]]\nname = "a"\nchannels = ["slack"]', "needs terms or companies"),
    ('[[watch]]\nname = "a"\nterms = ["x"]\nchannels = ["fax"]', "not fax"),
    ('[[watch]]\nname = "a"\nterms = ["x"]\nchannels = ["slack"]\n[[watch]]\nname = "a"\nterms = ["y"]\n'
     'channels = ["slack"]', "defined twice"),
    ('[[watch]]\nname = "a"\nterms = ["x"]\nchannels = ["slack"]\ncolour = "red"', "unknown setting 'colour'"),
    ('[[watch]]\nname = "a"\nterms = [1]\nchannels = ["slack"]', "lists of strings"),
    ('watch = "x"', "[[watch]] tables"),
])
def test_bad_watch_config_is_a_clear_error(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError, match="watch") as info:
        load_settings(path)
    assert message in str(info.value)


def test_channel_filter_narrows_only_that_digest(tmp_path: Path, httpserver: HTTPServer,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    hook = Hook(httpserver)
    settings = _settings(tmp_path, httpserver, monkeypatch)
    settings.delivery.slack.min_relevance = 0.8
    store = Store(settings.db_url)
    add_article(store, DAY, 1, title="아주 중요한 AI 소식", relevance=0.95)
    add_article(store, DAY, 2, title="그럭저럭 AI 소식", relevance=0.6)
    out = tmp_path / "out"
    pipeline.publish_day(store, settings, DAY, out)
    outcomes = pipeline.deliver_day(store, settings, DAY, out)
    assert [o.status for o in outcomes if o.channel == "slack"] == ["sent"]
    sections = [b["text"]["text"] for b in hook.payloads[0]["blocks"] if b["type"] == "section"]
    assert len(sections) == 1 and "아주 중요한 AI 소식" in sections[0] and sections[0].startswith("1.")
    day_json = json.loads((out / "digests/2026/2026-01-20.json").read_text(encoding="utf-8"))
    assert len(day_json["items"]) == 2  # the published day keeps everything
    store.close()


def test_category_filter_accepts_names_with_or_without_emoji() -> None:
    from ainews.publish.channel_filter import for_channel

    settings = Settings()
    data = PublishedDay.from_json({"day": "2026-01-20", "items": [
        {"rank": 1, "title": "a", "category": "연구", "category_emoji": "🔬", "relevance": 0.9},
        {"rank": 2, "title": "b", "category": "산업", "category_emoji": "💼", "relevance": 0.9}]})
    for wanted in (["🔬 연구"], ["연구"]):
        settings.delivery.telegram.categories = wanted
        assert [(i.rank, i.title) for i in for_channel(data, settings, "telegram").items] == [(1, "a")]
    assert for_channel(data, settings, "slack") is data


def test_watches_command_lists_alerts(tmp_path: Path, httpserver: HTTPServer,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    Hook(httpserver)
    config = tmp_path / "config.toml"
    config.write_text('[delivery.slack]\nwebhook_url_env = "ALERT_TEST_SLACK"\n[[watch]]\nname = "업스테이지"\n'
                      'terms = ["업스테이지"]\nchannels = ["slack"]\n', encoding="utf-8")
    monkeypatch.setenv("ALERT_TEST_SLACK", httpserver.url_for(HOOK))
    settings = load_settings(config, db=str(tmp_path / "w.db"))
    store = Store(settings.db_url)
    add_article(store, DAY, 1, title="업스테이지 신제품", story_id="s1")
    send_watch_alerts(store, settings, DAY)
    store.close()
    result = runner.invoke(app, ["--db", str(tmp_path / "w.db"), "--config", str(config), "watches", "--json"])
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.stdout)
    assert row["name"] == "업스테이지" and row["alerted_stories"] == 1 and row["last_alert"]
    table = runner.invoke(app, ["--db", str(tmp_path / "w.db"), "--config", str(config), "watches"])
    assert "업스테이지" in table.output and table.exit_code == 0


def test_guarded_secrets_stay_out_of_logs(caplog: pytest.LogCaptureFixture) -> None:
    import logging

    settings = Settings()
    settings.delivery.slack.webhook_url_env = "X_HOOK"
    assert deliver.guard_secrets(settings, {"X_HOOK": "https://hooks.example/secret-123"}) == [
        "https://hooks.example/secret-123"]
    with caplog.at_level(logging.INFO, logger="httpx"):
        logging.getLogger("httpx").info("POST %s", "https://hooks.example/secret-123")
    assert "secret-123" not in caplog.text and "***" in caplog.text


UPSTAGE_PAGE = ("<!doctype html><html lang='ko'><head><meta charset='utf-8'><title>{title}</title>"
                "<meta property='og:title' content='{title}'>"
                "<meta property='article:published_time' content='2026-01-20T08:0{n}:00+09:00'></head>"
                "<body><article><h1>{title}</h1>{body}</article></body></html>")
FEED_ITEMS = [
    ("업스테이지, 새 거대언어모델 솔라 공개",
     "업스테이지가 20일 새 거대언어모델 솔라를 공개했다. 이 인공지능 모델은 한국어 이해와 추론 능력이 크게 "
     "좋아졌다고 회사는 밝혔다. 회사는 기업용 API로 먼저 제공하고 공공기관과도 협력할 계획이다."),
    ("네이버, 하이퍼클로바X 인공지능 업데이트",
     "네이버가 초거대 인공지능 하이퍼클로바X의 새 버전을 내놓았다. 한국어 이해 능력과 검색 연동 기능이 "
     "강화됐고, 중소기업을 위한 전용 요금제도 함께 선보였다고 네이버클라우드는 밝혔다."),
]


def _serve_feed(server: HTTPServer) -> None:
    server.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n")
    items = ""
    for n, (title, body) in enumerate(FEED_ITEMS):
        url = server.url_for(f"/news/{n}.html")
        paragraphs = "".join(f"<p>{s}다.</p>" for s in body.split("다. ") if s)
        server.expect_request(f"/news/{n}.html").respond_with_data(
            UPSTAGE_PAGE.format(title=title, n=n, body=paragraphs), content_type="text/html")
        items += (f"<item><title>{title}</title><link>{url}</link><guid>{url}</guid>"
                  f"<pubDate>Tue, 20 Jan 2026 08:0{n}:00 +0900</pubDate></item>")
    server.expect_request("/rss.xml").respond_with_data(
        f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>테스트</title>{items}"
        "</channel></rss>",
        content_type="application/rss+xml")


def test_ainews_run_twice_sends_one_alert(tmp_path: Path, httpserver: HTTPServer,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    hook = Hook(httpserver)
    _serve_feed(httpserver)
    monkeypatch.setenv("ALERT_TEST_SLACK", httpserver.url_for(HOOK))
    config = tmp_path / "config.toml"
    config.write_text('[http]\nper_host_delay = 0.0\nretries = 0\ntimeout = 5.0\n'
                      '[delivery.slack]\nwebhook_url_env = "ALERT_TEST_SLACK"\n'
                      '[[watch]]\nname = "업스테이지"\nterms = ["업스테이지", "솔라"]\nchannels = ["slack"]\n',
                      encoding="utf-8")
    sources = tmp_path / "sources.toml"
    sources.write_text(f'[[source]]\nname = "테스트"\nurl = "{httpserver.url_for("/rss.xml")}"\nkind = "feed"\n',
                       encoding="utf-8")
    args = ["--db", str(tmp_path / "a.db"), "--config", str(config), "run", "--sources", str(sources),
            "--allow-private", "--date", "2026-01-20", "--out", str(tmp_path / "out"), "--json"]
    first = runner.invoke(app, args, catch_exceptions=False)
    assert first.exit_code == 0, first.output
    report = json.loads(first.stdout)
    assert [(a["watch"], a["status"]) for a in report["alerts"]] == [("업스테이지", "sent")]
    assert len(hook.alerts) == 1 and "솔라 공개" in hook.alerts[0]["text"]
    assert len(hook.payloads) == 2  # the digest and the alert, separately
    second = runner.invoke(app, args, catch_exceptions=False)
    assert second.exit_code == 0 and json.loads(second.stdout)["alerts"] == []
    assert len(hook.payloads) == 2  # nothing sent twice
