"""Template learning against a real SQLite store: learned per host, applied to the pages that
taught it, idempotent, undoable, and never cutting a quote two articles share."""

from __future__ import annotations

from ainews.collect.templates import refresh_templates, restore_host, template_lines
from ainews.config import TemplateSettings
from ainews.extract import quality
from ainews.store import Store
from tests.support.template_pages import COLUMN_INTRO, COPYRIGHT, MOST_READ, PROMO, QUOTE, article, body, prose


def _bodies(store: Store) -> dict[str, str]:
    return {a.url.rsplit("/", 1)[-1]: a.body for a in store.iter_articles()}


def test_chrome_learned_from_three_pages_is_removed_from_all_of_them(any_db_url: str) -> None:
    store = Store(any_db_url)
    for n in (1, 2):
        store.upsert_article(article(n))
    report = refresh_templates(store)
    assert report.articles_cleaned == 0  # two pages teach nothing yet
    assert _bodies(store)["1"] == body(1)
    store.upsert_article(article(3))
    report = refresh_templates(store)
    assert report.new_template_lines == {"news.example.kr": 6}
    assert report.articles_cleaned == 3  # including the two pages that taught it
    for n, text in _bodies(store).items():
        assert text == "\n\n".join(prose(int(n)))
        assert quality.check(text)[0]
    lines = {row["line"] for row in template_lines(store, "news.example.kr")}
    assert "많이 본 뉴스" in lines and "# 삼성전자, 새 AI 칩 공개" in lines


def test_a_quote_shared_by_two_articles_survives(db_url: str) -> None:
    store = Store(db_url)
    for n in range(1, 8):
        store.upsert_article(article(n, quote=n in (2, 5)))
    refresh_templates(store)
    bodies = _bodies(store)
    assert QUOTE in bodies["2"] and QUOTE in bodies["5"]
    assert PROMO not in bodies["2"] and COPYRIGHT not in bodies["5"]


def test_a_recurring_columns_fixed_intro_is_dropped(db_url: str) -> None:
    store = Store(db_url)
    for n in range(1, 5):
        store.upsert_article(article(n, column=True))
    refresh_templates(store)
    assert all(COLUMN_INTRO not in text for text in _bodies(store).values())


def test_refresh_is_idempotent_and_new_pages_are_cleaned_on_arrival(db_url: str) -> None:
    store = Store(db_url)
    for n in range(1, 5):
        store.upsert_article(article(n))
    refresh_templates(store)
    before = {a.id: (a.body, a.analysis) for a in store.iter_articles()}
    again = refresh_templates(store)
    assert (again.pages_counted, again.articles_cleaned) == (0, 0)
    assert {a.id: (a.body, a.analysis) for a in store.iter_articles()} == before
    store.upsert_article(article(5))
    assert refresh_templates(store).articles_cleaned == 1
    assert _bodies(store)["5"] == "\n\n".join(prose(5))


def test_hosts_learn_separately(db_url: str) -> None:
    store = Store(db_url)
    for n in range(1, 4):
        store.upsert_article(article(n, host="a.example.kr"))
    for n in range(1, 3):
        store.upsert_article(article(n, host="b.example.kr"))
    refresh_templates(store)
    bodies = {a.host: a.body for a in store.iter_articles()}
    assert PROMO not in bodies["a.example.kr"] and PROMO in bodies["b.example.kr"]


def test_restore_puts_every_original_body_back(any_db_url: str) -> None:
    store = Store(any_db_url)
    for n in range(1, 5):
        store.upsert_article(article(n))
    refresh_templates(store)
    assert restore_host(store, "news.example.kr") == 4
    assert _bodies(store) == {str(n): body(n) for n in range(1, 5)}
    assert template_lines(store) == []
    refresh_templates(store, TemplateSettings(exclude_hosts=["news.example.kr"]))
    assert _bodies(store)["1"] == body(1)


def test_a_cut_that_would_fail_the_gate_is_not_made(db_url: str) -> None:
    """A page whose only prose is the repeated text keeps it: cleaning never makes a page unusable."""
    store = Store(db_url)
    shared = "\n\n".join([PROMO, *prose(0), *MOST_READ])
    for n in range(1, 5):
        a = article(n)
        a.body = shared if n == 4 else a.body.replace(prose(n)[0], prose(0)[0] + "\n\n" + prose(n)[0])
        store.upsert_article(a)
    refresh_templates(store)
    assert _bodies(store)["4"] == shared


def test_a_changed_page_is_counted_again_not_twice(db_url: str) -> None:
    store = Store(db_url)
    for n in range(1, 4):
        store.upsert_article(article(n))
    refresh_templates(store)
    changed = article(3)
    changed.body, changed.content_hash = "\n\n".join(prose(3)), "changed"
    store.upsert_article(changed)
    report = refresh_templates(store)
    assert report.pages_counted == 1
    promo = [r for r in template_lines(store) if r["line"] == PROMO]
    assert promo and promo[0]["articles"] == 2 and promo[0]["host_pages"] == 3


def test_the_cli_lists_learns_and_restores(db_url: str) -> None:
    from typer.testing import CliRunner

    from ainews.cli import app

    store = Store(db_url)
    for n in range(1, 4):
        store.upsert_article(article(n))
    runner = CliRunner()
    learned = runner.invoke(app, ["--db", db_url, "templates", "--learn", "--json"], catch_exceptions=False)
    assert learned.exit_code == 0, learned.output
    assert "3 page(s) counted, 3 article(s) cleaned, 18 line(s) removed" in learned.output
    assert PROMO in learned.output
    undone = runner.invoke(app, ["--db", db_url, "templates", "--restore", "news.example.kr"])
    assert undone.exit_code == 0 and "3 article(s) restored" in undone.output
    assert _bodies(store)["1"] == body(1)


def test_what_is_learned_does_not_depend_on_row_order(tmp_path) -> None:  # noqa: ANN001 - pytest tmp_path
    """A killed run's re-run stores rows in another order: the template and bodies must be the same."""
    note = "[알림] 이 기사는 독자 제보로 시작됐습니다"  # on the last 3 of 7 pages: template only if counted last
    results = []
    for name, order in (("forward", range(1, 8)), ("backward", range(7, 0, -1))):
        store = Store(f"sqlite:///{tmp_path / name}.db")
        for n in order:
            a = article(n)
            a.body = (note + "\n\n" + a.body) if n >= 5 else a.body
            store.upsert_article(a)
        refresh_templates(store)
        results.append((sorted(_bodies(store).items()), sorted(r["line"] for r in template_lines(store))))
    assert results[0] == results[1]


def test_the_bulk_refresh_learns_exactly_what_the_row_by_row_refresh_learned(db_url: str, monkeypatch) -> None:  # noqa: ANN001
    """Five rounds over four hosts (changed pages, rotating chrome, an excluded host, pruning): every
    template row, page record, body and cleared analysis equals the golden dump of the old refresh."""
    import json

    from ainews.collect import templates
    from tests.support.template_scenario import GOLDEN, PRUNE_AFTER, dump, run_scenario

    monkeypatch.setattr(templates, "PRUNE_AFTER_PAGES", PRUNE_AFTER)
    store = Store(db_url)
    reports = run_scenario(store)
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert reports == golden.pop("reports")
    got = dump(store)
    for part in ("hosts", "lines", "pages", "articles"):
        assert got[part] == golden[part], part
