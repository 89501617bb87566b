# Everything a fresh clone needs, with only Python 3.11+ and make installed.
# `make demo` and `make test` create .venv themselves.

PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	2>/dev/null && echo $$p && break; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: venv demo test check bench bench-scan bench-tui bench-suggest screenshot fixtures clean

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "setlist needs Python 3.11 or newer (python3.11+ on PATH)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(BIN)/setlist demo

test: $(STAMP)
	$(BIN)/python -m pytest

check: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy

bench: bench-scan bench-tui bench-suggest

bench-scan: $(STAMP)
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/python benchmarks/scan.py

bench-tui: $(STAMP)
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/python benchmarks/tui.py

bench-suggest: $(STAMP)
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/python benchmarks/suggestions.py

# The README's screenshot, saved by the app on the demo library.
screenshot: $(STAMP)
	$(BIN)/python docs/screenshot.py

# Regenerate the committed audio fixtures (needs ffmpeg).
fixtures: $(STAMP)
	$(BIN)/python tests/fixtures/audio/make_fixtures.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
