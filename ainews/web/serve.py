"""Running the web app under uvicorn: one process, or `workers` processes sharing the port.

Several workers need an import string, so each builds its own app (its own store connections and
page cache) from the environment the parent set: AINEWS_DB and AINEWS_CONFIG, as `--db`/`--config`.
uvloop and httptools are used when installed (they are dependencies): the parser and the loop are
where a cached answer spends most of its time. The access log is off unless asked for: one log line
per request costs about a third of a cached answer.
"""

from __future__ import annotations

import os

from fastapi import FastAPI

from ainews.config import Settings, load_settings
from ainews.redact import install_log_filter, remember_settings
from ainews.store import Store

FACTORY = "ainews.web.serve:app_from_env"


def app_from_env() -> FastAPI:
    """The app over the store AINEWS_DB names (a worker process's entry point)."""
    from ainews.web.app import create_app

    settings = load_settings(os.environ.get("AINEWS_CONFIG") or None)
    remember_settings(settings)
    install_log_filter()
    return create_app(Store(settings.db_url), settings)


def run(settings: Settings, store: Store, host: str, port: int, workers: int = 1, access_log: bool = False,
        config_path: str | None = None) -> None:
    """Serve until interrupted; `store` serves the single-process case, workers open their own."""
    import uvicorn

    options = {"host": host, "port": port, "log_level": "info", "access_log": access_log}
    if workers <= 1:
        from ainews.web.app import create_app

        uvicorn.run(create_app(store, settings), **options)
        return
    os.environ["AINEWS_DB"] = settings.db_url
    if config_path:
        os.environ["AINEWS_CONFIG"] = config_path
    uvicorn.run(FACTORY, factory=True, workers=workers, **options)
