# rhi-report: every target does its own set-up, so a fresh clone needs only `make report` or `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CONFIG ?= config.yaml
# axe-core for the browser accessibility tests, installed from its lock (never a browser download).
A11Y := tests/a11y
AXE := $(A11Y)/node_modules/axe-core/axe.min.js

.PHONY: report test validate lint bench sample sysdeps clean

report: $(STAMP) sysdeps
	$(BIN)/rhi-report run --config $(CONFIG)

validate: $(STAMP)
	$(BIN)/rhi-report validate --config $(CONFIG)

test: $(STAMP) sysdeps $(AXE)
	$(BIN)/ruff check pipeline devtools tests scripts
	$(BIN)/ruff format --check pipeline devtools tests scripts
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check pipeline devtools tests scripts
	$(BIN)/ruff format --check pipeline devtools tests scripts

bench: $(STAMP) sysdeps
	$(BIN)/python scripts/bench.py

# Regenerates the bundled sample extracts from their committed, deterministic generator.
sample: $(STAMP)
	$(BIN)/python scripts/make_sample.py --out inputs

# The virtual environment is rebuilt whenever the lock or the project metadata changes.
$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(BIN)/python -m compileall -q pipeline
	touch $(STAMP)

$(AXE): $(A11Y)/package.json $(A11Y)/package-lock.json | sysdeps
	npm ci --prefix $(A11Y) --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $(AXE)

# WeasyPrint needs pango; libharfbuzz-subset0 makes font subsetting fast and PDFs byte-stable;
# the tests read PDFs with pdftotext (poppler-utils) and open the HTML in Debian's Chromium
# through ChromeDriver (chromium, chromium-driver); npm installs axe-core.
sysdeps:
	@bash scripts/sysdeps.sh

clean:
	rm -rf $(VENV) $(A11Y)/node_modules reports/*/ bench/data bench/out
