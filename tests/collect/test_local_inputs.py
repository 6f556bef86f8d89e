"""`ainews add` on awkward local files: a name that is not valid UTF-8 is skipped with a reason
while the other files are stored; a UTF-16 page with a BOM is read, not refused as binary."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ainews.collect.local import looks_binary, read_path
from ainews.store import Store

REPO = Path(__file__).resolve().parents[2]


def _page(title: str) -> str:
    body = f"{title}가 새로운 인공지능 모델을 공개했다. 이 모델은 한국어 이해 능력이 크게 좋아졌다고 회사는 밝혔다. "
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{title} AI 모델 공개</title></head>"
            f"<body><article><h1>{title} AI 모델 공개</h1><p>{body * 6}</p></article></body></html>")


def test_undecodable_file_name_is_skipped_and_the_others_stored(tmp_path: Path) -> None:
    folder = os.fsencode(tmp_path)
    good, bad, other = folder + b"/good.html", folder + b"/bad-\xff\xfe-name.html", folder + b"/other.html"
    for path, title in ((good, "오픈AI"), (bad, "구글"), (other, "네이버")):
        with open(path, "wb") as f:
            f.write(_page(title).encode("utf-8"))
    db = tmp_path / "a.db"
    proc = subprocess.run([sys.executable, "-m", "ainews.cli", "--db", str(db), "add", "--date", "2026-01-20",
                           good, bad, other], capture_output=True, env={**os.environ, "PYTHONPATH": str(REPO)},
                          timeout=300)
    stderr = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 0, stderr
    assert b"2 new, 0 already stored, 1 skipped" in proc.stdout
    skipped = [line for line in stderr.splitlines() if line.startswith("skipped:")]
    assert len(skipped) == 1 and "bad-\\xff\\xfe-name.html" in skipped[0] and "not valid UTF-8" in skipped[0]
    store = Store(f"sqlite:///{db}")
    titles = sorted(a.title for a in store.get_articles(range(1, 10)))
    store.close()
    assert titles == ["네이버 AI 모델 공개", "오픈AI AI 모델 공개"]


def test_utf16_page_with_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "utf16.html"
    path.write_bytes(b"\xff\xfe" + _page("카카오").encode("utf-16-le"))
    assert not looks_binary(path.read_bytes())
    raw = read_path(path)
    assert raw.content_type == "text/html"
    no_suffix = tmp_path / "capture"
    no_suffix.write_bytes(b"\xfe\xff" + _page("카카오").encode("utf-16-be"))
    assert read_path(no_suffix).content_type == "text/html"
    assert looks_binary(b"\xff\xfe" + "\x01\x02\x03".encode("utf-16-le") * 500)  # a BOM alone is no pass
