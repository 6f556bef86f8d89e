"""The errors ainews raises on purpose, in one hierarchy.

    AinewsError                 anything ainews raises on purpose
    ├── UserError               the user can fix it: the CLI prints one line and exits 2
    │   ├── ConfigError         config.py: a config file that cannot be used
    │   ├── SourceError         collect/sources.py: a sources file that cannot be used
    │   ├── InputError          collect/local.py: a file or URL handed to `add`/`extract` that cannot be read
    │   ├── DiscoveryError      collect/discover.py: no feed found at a URL given to `sources add`
    │   ├── OpmlError           collect/opml.py: an OPML file that cannot be imported
    │   ├── InitError           init.py: `init` would overwrite files
    │   ├── QueueUnavailable    worker.py: the task queue needs PostgreSQL
    │   ├── FetchError          collect/http.py: a URL that could not be fetched (RobotsDisallowed)
    │   ├── RunLocked           store/db.py: another run holds the store
    │   └── CatalogueError      catalogue/: a bundled rule or data file that does not fit its schema
    ├── DeliveryError           publish/deliver.py: a channel refused the digest (recorded, retried next run)
    └── LlmError                analyze/llm.py: the LLM endpoint failed (the extractive summary is used)

Anything else escaping a command is a bug: the CLI shows its traceback instead of blaming the user.
"""

from __future__ import annotations


class AinewsError(Exception):
    """Raised on purpose by ainews; str() is one line for a person."""


class UserError(AinewsError):
    """Something the user can fix (a path, a date, a config key, a URL, a busy store)."""
