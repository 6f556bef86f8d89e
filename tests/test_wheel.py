"""The built wheel runs `ainews demo` from anywhere: build it, install it into a fresh venv, run the
demo outside the repository. Offline and quick: `pip wheel --no-build-isolation` from a copy of the
sources, the venv sees the test environment's dependencies through a plain path entry (not its
site-packages' .pth hooks, so the editable checkout stays invisible), and the wheel is installed
with --no-deps."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def _run(*args: str | Path, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(cwd), "LANG": "C.UTF-8"}  # no PYTHONPATH, no repo
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{args}: {done.stdout}\n{done.stderr}"
    return done


def test_wheel_runs_the_demo_outside_the_repository(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    shutil.copytree(ROOT / "ainews", src / "ainews", ignore=shutil.ignore_patterns("__pycache__"))
    wheels = tmp_path / "wheels"
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q",
         "-w", wheels, src, cwd=tmp_path)
    [wheel] = wheels.glob("ainews-*.whl")
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    site = Path(_run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                     cwd=tmp_path).stdout.strip())
    (site / "zz_test_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    _run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", "-q", wheel,
         cwd=tmp_path)
    where = tmp_path / "elsewhere"
    where.mkdir()
    located = _run(python, "-c", "import ainews; print(ainews.__file__)", cwd=where).stdout.strip()
    assert located.startswith(str(site)), located  # the wheel's copy, not the checkout
    demo = _run(venv / "bin" / "ainews", "demo", "--out", where / "demo", cwd=where)
    written = [Path(line) for line in demo.stdout.split() if line.endswith(".md")]
    assert written and all(p.is_file() and p.is_relative_to(where / "demo") for p in written), demo.stdout
    assert "# 🤖 AI 뉴스" in written[0].read_text(encoding="utf-8")
    assert (where / "demo" / "site" / "index.html").is_file()
