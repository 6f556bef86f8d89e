"""When an article was published, as pages show it: in KST, and never a time nobody knows."""

from __future__ import annotations

from ainews.models import KST, Article

DATE = "%Y-%m-%d"
DATE_TIME = "%Y-%m-%d %H:%M"


def when(article: Article, fmt: str = DATE_TIME) -> str:
    """`fmt` in KST; with the time unknown (Article.time_known) the date alone, or "" for a time-only format."""
    if article.published_at is None:
        return ""
    local = article.published_at.astimezone(KST)
    if article.time_known:
        return local.strftime(fmt)
    return local.strftime(DATE) if "%d" in fmt else ""


def machine_when(article: Article) -> str:
    """The `<time datetime>` value: ISO date-time, or the date alone when the time is unknown."""
    if article.published_at is None:
        return ""
    if article.time_known:
        return article.published_at.isoformat()
    return article.published_at.astimezone(KST).date().isoformat()
