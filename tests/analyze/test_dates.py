"""Dates for pages that print none: inferred at ingest, recorded with their method, filed on that day."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

from typer.testing import CliRunner

from ainews.analyze import dates
from ainews.cli import app
from ainews.models import KST, Article, now_kst
from ainews.store import Store

runner = CliRunner()


def add(db_url: str, *args: str):  # noqa: ANN201 - click Result
    return runner.invoke(app, ["--db", db_url, "add", *args], catch_exceptions=False)


def filed(db_url: str) -> dict[str, tuple[date | None, str]]:
    store = Store(db_url)
    try:
        return {a.title: (a.day, a.date_method) for d in store.days() for a in store.articles_for_day(d)}
    finally:
        store.close()


def test_seeds_are_filed_on_the_day_a_reader_can_tell(seeds: dict[str, Path], db_url: str) -> None:
    """002: "16일" after its captions' 2026.1.8; 003: "5일" next to 004's 2025-02-04 (same story)."""
    result = add(db_url, str(seeds["002"]), str(seeds["003"]), str(seeds["004"]))
    assert result.exit_code == 0, result.output
    days = filed(db_url)
    assert days["네이버 이어 카카오·NC도 독자 AI 재도전 안 한다(종합2보)"] == (date(2026, 1, 16), "body-day+caption")
    assert days["카카오, 오픈AI와 협업 방안 공개"] == (date(2025, 2, 5), "body-day+story")
    assert days["한국 찾은 AI 황태자‥딥시크 충격 속 AI 합종연횡 모색?"] == (date(2025, 2, 4), "page")
    assert "filed under 2026-01-16 (inferred: body-day+caption)" in result.output
    again = add(db_url, str(seeds["002"]), str(seeds["003"]), str(seeds["004"]))
    assert "0 new, 3 already stored" in again.output and filed(db_url) == days


def test_user_date_wins_over_inference_not_over_the_page(seeds: dict[str, Path], db_url: str) -> None:
    result = add(db_url, str(seeds["002"]), str(seeds["004"]), "--date", "2026-02-01")
    assert result.exit_code == 0, result.output
    days = filed(db_url)
    assert days["네이버 이어 카카오·NC도 독자 AI 재도전 안 한다(종합2보)"] == (date(2026, 2, 1), "--date")
    assert days["한국 찾은 AI 황태자‥딥시크 충격 속 AI 합종연횡 모색?"] == (date(2025, 2, 4), "page")


def test_no_evidence_falls_back_to_today_with_a_note(tmp_path: Path, db_url: str) -> None:
    page = tmp_path / "plain.txt"
    page.write_text("인공지능 스타트업 소식\n\n한 스타트업이 새 언어모델을 공개했다. 회사는 성능이 좋다고 밝혔다.\n"
                    "업계는 이 모델이 국내 시장에 영향을 줄 것으로 본다.", encoding="utf-8")
    result = add(db_url, str(page))
    assert result.exit_code == 0, result.output
    assert "(assumed-today)" in result.output
    assert filed(db_url)["인공지능 스타트업 소식"] == (now_kst().date(), "assumed-today")


def test_story_anchor_needs_the_lead_day_to_agree(seeds: dict[str, Path], tmp_path: Path, db_url: str) -> None:
    """The same story dated three weeks later cannot hold "5일": 003 is not filed by it."""
    late = tmp_path / "late.txt"
    late.write_text(seeds["004"].read_text(encoding="utf-8").replace("2025.02.04", "2025.02.25"), encoding="utf-8")
    result = add(db_url, str(seeds["003"]), str(late))
    assert result.exit_code == 0, result.output
    assert filed(db_url)["카카오, 오픈AI와 협업 방안 공개"][1] == "assumed-today"


def test_extract_json_shows_the_method(seeds: dict[str, Path], db_url: str) -> None:
    data = json.loads(runner.invoke(app, ["--db", db_url, "extract", str(seeds["002"])]).stdout)
    assert (data["published_at"][:10], data["date_method"], data["date_assumed"]) == \
        ("2026-01-16", "body-day+caption", True)
    printed = json.loads(runner.invoke(app, ["--db", db_url, "extract", str(seeds["004"])]).stdout)
    assert (printed["date_method"], printed["date_assumed"]) == ("page", False)


def test_demo_files_the_seeds_on_their_days(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "ainews.cli", "demo", "--out", str(tmp_path / "demo")],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    names = {Path(line).name for line in proc.stdout.split()}
    assert {"2026-01-16.md", "2025-02-05.md", "2026-01-20.md"} <= names
    day = json.loads((tmp_path / "demo" / "digests" / "2025" / "2025-02-05.json").read_text(encoding="utf-8"))
    items = [(i["title"], i["date_method"]) for i in day["items"]]
    assert items == [("카카오, 오픈AI와 협업 방안 공개", "body-day+story")]


def test_lead_day_skips_earlier_and_later_days() -> None:
    assert dates.lead_day("지난 7일 행사에 이어 오는 20일까지 접수한다. 회사는 12일 밝혔다.") == 12
    assert dates.lead_day("2026.1.8 사진. 내용 없음") is None


def test_lead_day_crosses_a_month_after_the_caption() -> None:
    article = Article(url="", title="t", body="업계는 2일 이렇게 밝혔다.")
    found = dates.from_page(article, "사진 2025.12.30 [제공]", date(2026, 3, 1))
    assert found == (date(2026, 1, 2), "body-day+caption")


def test_future_and_impossible_page_dates_are_no_anchor() -> None:
    assert dates.page_dates("2031.1.8 예정, 2025.13.40, 2025.2.30, 2024-05-06", date(2026, 1, 1)) == [date(2024, 5, 6)]


def test_pages_with_a_date_keep_it() -> None:
    dated = Article(url="", title="t", body="5일 밝혔다.", published_at=datetime(2025, 3, 3, tzinfo=KST))
    dates.settle([dates.Pending(dated, "")], user_date=date(2020, 1, 1))
    assert (dated.day, dated.date_method, dated.date_assumed) == (date(2025, 3, 3), "page", False)
