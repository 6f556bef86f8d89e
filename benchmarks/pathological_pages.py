"""Hostile pages (issue 12): time and peak memory of extracting each, next to normal corpus pages.

Each page is extracted in a fresh process (so its peak RSS is that page's alone): `extract()` inline
(the markup budgets, no deadline), then through the per-page deadline (`Extractor`, a reused worker
process, `extract_timeout` 5 s) where this version of ainews has it. An inline run is stopped after
CAP seconds and shown as "> CAP s". Goal: every page ≤ 5 s, the 9 MB page far below 1 GB.
Run: `.venv/bin/python benchmarks/pathological_pages.py [CAP]`.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

from tests.fuzz import pathological  # noqa: E402 - the same generators the tests use

CHILD = r"""
import json, resource, sys, time
from ainews.extract import extract
from ainews.models import RawPage
path, ctype, mode = sys.argv[1:4]
page = RawPage(url="https://example.com/news/1", content=open(path, "rb").read(), content_type=ctype)
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
start, cpu = time.perf_counter(), time.process_time()
if mode == "deadline":
    from ainews.collect.extracting import Extractor
    ex = Extractor(workers=1, timeout=5.0)
    ex.start()
    [pid] = ex.worker_pids()
    article = ex.extract_sync(page)
    hwm = [l for l in open(f"/proc/{pid}/status") if l.startswith("VmHWM")] if ex.worker_pids() == [pid] else []
    peak = int(hwm[0].split()[1]) / 1024 if hwm else None
    ex.close()
else:
    article = extract(page)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"wall": time.perf_counter() - start, "cpu": time.process_time() - cpu, "base": base, "peak": peak,
                  "ok": article.extraction_ok, "reason": article.extraction_reason}))
"""


def pages() -> list[tuple[str, bytes, str]]:
    out = [("1,000,000 <p> (9 MB)", pathological.million_paragraphs(), "text/html"),
           ("100,000-deep unclosed <div><span><b> (1.4 MB)", pathological.deep_unclosed(), "text/html")]
    for name in ("yna-1.html", "naver-2.html"):
        path = SHARED / "corpus" / "html" / name
        if path.exists():
            out.append((f"corpus {name} ({path.stat().st_size / 1e6:.1f} MB)", path.read_bytes(), ""))
        else:
            print(f"(../shared/corpus/html/{name} not present: normal page skipped)")
    return out


def measure(content: bytes, ctype: str, mode: str, cap: float) -> str:
    with tempfile.NamedTemporaryFile(suffix=".html") as file:
        file.write(content)
        file.flush()
        try:
            done = subprocess.run([sys.executable, "-c", CHILD, file.name, ctype, mode], capture_output=True,
                                  text=True, timeout=cap, cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": ""})
        except subprocess.TimeoutExpired:
            return f"> {cap:.0f} s (stopped)"
    if done.returncode != 0:
        return "n/a (" + (done.stderr.strip().splitlines() or ["error"])[-1][:60] + ")"
    r = json.loads(done.stdout.strip().splitlines()[-1])
    peak = f"{r['peak']:.0f} MB peak RSS" if r["peak"] is not None else "worker killed"
    return (f"{r['wall']:.2f} s wall ({r['cpu']:.2f} s CPU), {peak} (imports {r['base']:.0f} MB); "
            f"ok={r['ok']} reason={r['reason']!r}")


def main() -> int:
    cap = float(sys.argv[1]) if len(sys.argv) > 1 else 120.0
    worst = 0.0
    for label, content, ctype in pages():
        for mode in ("inline", "deadline"):
            line = measure(content, ctype, mode, cap)
            print(f"{label:48} {mode:8} {line}", flush=True)
            if line.startswith(">"):
                worst = max(worst, cap)
            elif "s wall" in line:
                worst = max(worst, float(line.split(" s wall")[0]))
    print(f"slowest page: {worst:.2f} s (goal ≤ 5 s per page; CPU-bound, so slower on a loaded machine)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
