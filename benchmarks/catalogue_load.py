"""What validating the rule files costs: every bundled file parsed and checked, cold, in milliseconds.

The catalogue caches each file, so this is paid once per process (the CLI, each worker).
"""

from __future__ import annotations

import time
import tomllib
from importlib import resources

from ainews import catalogue


def main() -> None:
    names = catalogue.bundled_names()
    texts = {n: resources.files("ainews").joinpath(n).read_text(encoding="utf-8") for n in names}
    rounds = 20
    start = time.perf_counter()
    for _ in range(rounds):
        for text in texts.values():
            tomllib.loads(text)
    parse_ms = (time.perf_counter() - start) * 1000 / rounds
    start = time.perf_counter()
    for _ in range(rounds):
        for name, text in texts.items():
            catalogue.validate_text(name, text)
    total_ms = (time.perf_counter() - start) * 1000 / rounds
    print(f"files: {len(names)}, {sum(map(len, texts.values())) // 1024} KiB")
    print(f"parse only: {parse_ms:.1f} ms; parse + validate: {total_ms:.1f} ms "
          f"(validation {total_ms - parse_ms:.1f} ms)")


if __name__ == "__main__":
    main()
