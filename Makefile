# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
OUT ?= ainews-out

.PHONY: demo test bench lint fuzz clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[test]"
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/ainews demo --out $(OUT)/demo

test: $(STAMP)
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) benchmarks/run_all.py

# 5 targets x 2,000 cases = 10,000 hostile inputs (HTML, bytes, feeds, config/sources TOML, digests)
fuzz: $(STAMP)
	AINEWS_FUZZ_EXAMPLES=2000 $(PY) -m pytest tests/fuzz -p no:warnings

# ruff, the layer contract (pyproject [tool.importlinter]) and the shape rules (tests/test_code_shape.py)
lint: $(STAMP)
	$(VENV)/bin/ruff check ainews tests benchmarks
	$(VENV)/bin/lint-imports
	$(PY) -m pytest -q tests/test_code_shape.py

clean:
	rm -rf $(OUT) .pytest_cache .ruff_cache
