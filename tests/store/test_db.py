"""The store on a real SQLite file: idempotent keys, time zones, analysis and bookkeeping round trips."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import inspect

from ainews.models import KST, Analysis, Article, Imported, Story
from ainews.store import Store


def _article(**overrides: object) -> Article:
    fields: dict[str, object] = dict(
        url="https://www.aitimes.com/news/articleView.html?idxno=1", title="제목", body="본문",
        published_at=datetime(2026, 1, 20, 0, 30, tzinfo=KST), content_hash="h1",
    )
    fields.update(overrides)
    return Article(**fields)  # type: ignore[arg-type]


def test_same_page_stored_once_across_url_spellings(any_db_url: str) -> None:
    store = Store(any_db_url)
    first, created = store.upsert_article(_article())
    again, created_again = store.upsert_article(
        _article(url="http://aitimes.com/news/articleView.html?idxno=1/#comments"))
    assert created and not created_again and first == again
    assert store.count_articles() == 1


def test_text_without_url_is_keyed_by_content(any_db_url: str) -> None:
    store = Store(any_db_url)
    a = _article(url="/tmp/a.txt", body="같은  본문\n")
    b = _article(url="/other/place/b.txt", body="같은 본문")
    assert store.upsert_article(a)[0] == store.upsert_article(b)[0]
    assert store.upsert_article(_article(url="/tmp/c.txt", body="다른 본문"))[1]


def test_changed_page_updates_and_requeues_analysis(any_db_url: str) -> None:
    store = Store(any_db_url)
    article_id, _ = store.upsert_article(_article())
    store.save_analysis(article_id, Analysis(relevance=0.9, is_ai=True, version="v1"))
    assert store.articles_needing_analysis("v1") == []
    store.upsert_article(_article(body="고친 본문", content_hash="h2"))
    pending = store.articles_needing_analysis("v1")
    assert [a.body for a in pending] == ["고친 본문"]
    assert store.articles_needing_analysis("v2")  # new rules → everything again


def test_kst_day_and_timezone_round_trip(any_db_url: str) -> None:
    store = Store(any_db_url)
    # 00:30 KST on the 20th is still the 19th in UTC: the digest day must be the KST one
    article_id, _ = store.upsert_article(_article())
    stored = store.get_article(article_id)
    assert stored.published_at == datetime(2026, 1, 20, 0, 30, tzinfo=KST)
    assert stored.published_at.utcoffset().total_seconds() == 9 * 3600
    assert store.days() == [date(2026, 1, 20)]
    assert [a.id for a in store.articles_for_day(date(2026, 1, 20))] == [article_id]


def test_analysis_imported_and_story_round_trip(any_db_url: str) -> None:
    store = Store(any_db_url)
    article_id, _ = store.upsert_article(_article(imported=Imported(category="일반", tags=["LLM"])))
    analysis = Analysis(relevance=0.8, is_ai=True, reasons=["제목: AI"], category="연구·모델", topics=["LLM"],
                        companies=["오픈AI"], story_id="s1", summary=["한 문장."], summary_method="extractive",
                        version="v1")
    store.save_analysis(article_id, analysis)
    article = store.get_article(article_id)
    assert article.analysis == analysis and article.imported.tags == ["LLM"]
    story = Story(id="s1", title="t", representative_id=article_id, member_ids=[article_id],
                  first_seen=article.published_at, last_seen=article.published_at, summary=["요약"])
    store.save_story(story)
    store.save_story(story)
    assert store.get_story("s1") == story and len(store.stories()) == 1


def test_delivery_log_and_llm_cache(any_db_url: str) -> None:
    store = Store(any_db_url)
    day = date(2026, 1, 20)
    assert store.delivery_status("slack", day) is None
    store.record_delivery("slack", day, "HTTP 500")
    assert store.delivery_status("slack", day) == "failed"
    store.record_delivery("slack", day, None)
    assert store.delivery_status("slack", day) == "sent"
    store.llm_cache_put("k", ["a", "b"])
    assert store.llm_cache_get("k") == ["a", "b"] and store.llm_cache_get("missing") is None


def test_seen_entries_and_validators(any_db_url: str) -> None:
    store = Store(any_db_url)
    store.mark_seen("guid-1", "src", None)
    store.mark_seen("guid-1", "src", None)
    assert store.is_seen("guid-1") and not store.is_seen("guid-2")
    store.save_validators("https://a.b/feed", '"etag"', "Tue, 20 Jan 2026 00:00:00 GMT", 200)
    assert store.get_validators("https://a.b/feed") == ('"etag"', "Tue, 20 Jan 2026 00:00:00 GMT")
    store.record_source_result("src", "https://a.b/feed", "timeout")
    store.record_source_result("src", "https://a.b/feed", "timeout")
    assert store.source_health()[0]["consecutive_failures"] == 2
    store.record_source_result("src", "https://a.b/feed", None, items=30)
    health = store.source_health()[0]
    assert health["consecutive_failures"] == 0 and health["items_found"] == 30


def test_exclusive_lock_keeps_second_run_out(any_db_url: str) -> None:
    import multiprocessing

    import pytest

    from ainews.store import RunLocked

    store = Store(any_db_url)
    other = Store(any_db_url)
    with store.exclusive():
        with pytest.raises(RunLocked), other.exclusive():
            pass
        # another process is kept out too (flock and advisory locks are per process/session)
        ctx = multiprocessing.get_context("spawn")
        with ctx.Pool(1) as pool:
            assert pool.apply(_try_lock, (any_db_url,)) == "locked"
    with other.exclusive():  # released on exit
        pass


def _try_lock(url: str) -> str:
    from ainews.store import RunLocked

    try:
        with Store(url).exclusive():
            return "acquired"
    except RunLocked:
        return "locked"


def _table_name(difference: tuple) -> str:
    """The table an Alembic difference is about (a Table itself, or an Index/Column on one)."""
    thing = difference[1]
    return getattr(thing, "table", thing).name if hasattr(thing, "name") else ""


def test_migrations_build_exactly_the_models_schema(any_db_url: str) -> None:
    """A new column in schema.py without a migration would fail here (on both backends)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from ainews.store.schema import Base
    from ainews.store.search.tables import META

    fts_tables = ("search_morph", "search_trigram", "search_pg")

    store = Store(any_db_url)
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    # search/tables.py describes its own tables; FTS5 adds shadow tables (search_morph_data …)
    ours = [d for d in diff if not (_table_name(d) in META.tables or _table_name(d).startswith(fts_tables))]
    assert ours == []
    with store.engine.connect() as conn:  # the search tables come with the migrations, not on first use
        tables = set(inspect(conn).get_table_names())
    text_index = {"search_morph", "search_trigram"} if store.engine.dialect.name == "sqlite" else {"search_pg"}
    assert {"search_facets", "search_docs", "search_facet_docs", "search_meta"} | text_index <= tables
    Store(any_db_url)  # opening again is a no-op at head


def test_a_forked_child_does_not_keep_the_lock(db_url: str) -> None:
    """Extraction workers are forked while a run holds its lock; one outliving the run must not keep it."""
    import os
    import signal
    import time

    store = Store(db_url)
    with store.exclusive():
        pid = os.fork()
        if pid == 0:  # the child just lingers, like a worker whose parent was killed
            time.sleep(30)
            os._exit(0)
    try:
        with Store(db_url).exclusive():  # the parent let go: the lingering child holds nothing
            pass
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


def test_story_ids_between_reads_only_the_window(any_db_url: str) -> None:
    store = Store(any_db_url)
    for n, (day, story) in enumerate([(19, "s-old"), (20, "s-a"), (20, None), (21, "s-b"), (23, "s-late")]):
        article_id, _ = store.upsert_article(_article(url=f"https://a.kr/{n}",
                                                      published_at=datetime(2026, 1, day, 9, tzinfo=KST)))
        store.save_analysis(article_id, Analysis(story_id=story, version="v1"))
    assert store.story_ids_between(date(2026, 1, 20), date(2026, 1, 22)) == {"s-a", "s-b"}
