"""Control characters, bidi overrides and a 500k-character title, stored through the real Store and
published: gone or capped in the Markdown, the JSON, the site, the feeds and every message."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

from ainews import pipeline
from ainews.config import Settings
from ainews.publish import deliver, jsonout
from ainews.store import Store
from tests.support.published import add_article

DAY = date(2026, 1, 20)
BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
TITLE = "제어\x00\x07\x1b[31m문자 \u202e역방향\u202c \u2067격리\u2069 AI 제목 " + "가" * 500_000
CAP = 300


def test_hostile_characters_never_reach_an_output(tmp_path: Path) -> None:
    settings = Settings(db=str(tmp_path / "a.db"))
    store = Store(settings.db_url)
    article_id = add_article(store, DAY, 1, title=TITLE, body="본문\x08 첫 문단\u202e 입니다.\r\n\r\n둘째\x0c 문단.",
                             publisher="매체\u200f\x01", summary=["요약\x1b 문장\u202e 하나.", "둘\x00."],
                             topics=["LLM\u202e"], companies=["오픈AI\x07"])
    stored = store.get_article(article_id)
    assert stored is not None and not BAD.search(stored.title + stored.body + (stored.publisher or ""))
    assert len(stored.title) <= CAP and stored.title.endswith("…") and stored.title.startswith("제어[31m문자 역방향")
    out = tmp_path / "out"
    pipeline.publish_day(store, settings, DAY, out)
    files = [p for p in out.rglob("*") if p.is_file() and p.suffix in {".md", ".json", ".html", ".xml"}]
    assert any(p.suffix == ".xml" for p in files) and any(p.suffix == ".html" for p in files)
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert not BAD.search(text), path
        assert "가" * (CAP + 1) not in text, path  # the title is capped everywhere
    data = jsonout.load_day(out / "digests" / "2026" / "2026-01-20.json")
    assert data is not None
    mail = deliver.email_message(data, "a@example.org", ["b@example.org"])
    messages = [json.dumps(deliver.slack_payload(data), ensure_ascii=False), *deliver.telegram_messages(data),
                str(mail["Subject"]), *(p.get_content() for p in mail.walk() if p.get_content_maintype() == "text")]
    for message in messages:
        assert not BAD.search(message) and "가" * (CAP + 1) not in message
    store.close()
