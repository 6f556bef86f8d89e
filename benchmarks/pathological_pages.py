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

from tests.support import pathological  # noqa: E402 - the same generators the tests use

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
    alive = ex.worker_pids() == [pid]
    hwm = [l for l in open(f"/proc/{pid}/status") if l.startswith("VmHWM")] if alive else []
    peak = int(hwm[0].split()[1]) / 1024 if hwm else None
    ticks = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[11:13] if alive else ["0", "0"]
    worker_cpu = sum(map(int, ticks)) / 100
    ex.close()
else:
    article = extract(page)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker_cpu = 0.0
print(json.dumps({"wall": time.perf_counter() - start, "cpu": time.process_time() - cpu + worker_cpu, "base": base,
                  "peak": peak,
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
        child = subprocess.Popen([sys.executable, "-c", CHILD, file.name, ctype, mode], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True, cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": ""})
        try:
            out, err = child.communicate(timeout=cap)
        except subprocess.TimeoutExpired:
            hwm, cpu = _peak_mb(child.pid), _cpu_seconds(child.pid)
            child.kill()
            child.communicate()
            return f"> {cap:.0f} s wall (stopped; {cpu} CPU so far), {hwm} peak RSS so far"
    if child.returncode != 0:
        return "n/a (" + (err.strip().splitlines() or ["error"])[-1][:60] + ")"
    r = json.loads(out.strip().splitlines()[-1])
    peak = f"{r['peak']:.0f} MB peak RSS" if r["peak"] is not None else "worker killed"
    return (f"{r['wall']:.2f} s wall ({r['cpu']:.2f} s CPU), {peak} (imports {r['base']:.0f} MB); "
            f"ok={r['ok']} reason={r['reason']!r}")


def _peak_mb(pid: int) -> str:
    try:
        line = next(ln for ln in Path(f"/proc/{pid}/status").read_text().splitlines() if ln.startswith("VmHWM"))
    except (OSError, StopIteration):
        return "?"
    return f"{int(line.split()[1]) / 1024:.0f} MB"


def _cpu_seconds(pid: int) -> str:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return "?"
    return f"{(int(fields[11]) + int(fields[12])) / 100:.1f} s"


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
