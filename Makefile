# Two commands: `make run` builds and validates the graph, `make test` runs the tests.
# Also: `make test-fast` (the fast subset), `make lint` (ruff, mypy), `make fmt` (code and curated files),
# `make vendor` (YASGUI and Cytoscape.js from npm), `make screenshots` (README pictures), `make bench-load`,
# `make bench` (speed figures, then README's figures table from them).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OUT ?= build

.PHONY: compile kgx-env debian run test test-fast lint fmt clean vendor screenshots bench-load bench

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,plot]'
	touch $(STAMP)

# Byte-compile the package once: this machine's Python may not write .pyc files on import.
compile: $(STAMP)
	$(BIN)/python -m compileall -q src > /dev/null

run: compile
	$(BIN)/eimfs-kg build --out $(OUT)

# The real `kgx validate` (Monarch's KGX) lives in its own environment: it is large and
# pins many packages; the tests call it on the KGX export.
KGX_STAMP := .venv-kgx/.installed
$(KGX_STAMP):
	test -x .venv-kgx/bin/python || $(PYTHON) -m venv .venv-kgx
	.venv-kgx/bin/python -m pip install --quiet kgx biolink-model
	touch $(KGX_STAMP)

kgx-env: $(KGX_STAMP)

# Debian packages the tests drive: Chromium and ChromeDriver (browser test of the query
# page) and Virtuoso (push and remote queries; the tests start it on loopback themselves).
DEBIAN_TOOLS := /usr/bin/chromium /usr/bin/chromedriver /usr/bin/virtuoso-t /usr/bin/isql-vt
debian:
	@for tool in $(DEBIAN_TOOLS); do test -x $$tool || missing=yes; done; \
	if [ -n "$$missing" ]; then \
	  if command -v apt-get > /dev/null && [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	      chromium chromium-driver virtuoso-opensource > /dev/null; \
	  else echo "the tests need Debian's chromium, chromium-driver and virtuoso-opensource (apt-get install)"; exit 1; fi; \
	fi

test: compile $(KGX_STAMP) debian lint
	$(BIN)/python -m pytest src tests

# The fast subset: no Chromium, Virtuoso, KGX environment, kill or fuzz trials (under a minute).
test-fast: compile
	$(BIN)/python -m pytest -m "not slow" src tests

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

# Format the code (ruff) and the curated data files (one style; see src/eimfs_kg/curation/fmt.py).
fmt: $(STAMP)
	$(BIN)/ruff check --fix --quiet src tests bench
	$(BIN)/ruff format --quiet src tests bench
	$(BIN)/python -m eimfs_kg.curation.fmt

clean:
	rm -rf $(OUT) $(VENV) .venv-kgx dist .pytest_cache .ruff_cache

# The web pages' JavaScript from npm, copied into the package (committed; no CDN at run time).
vendor:
	scripts/vendor_web_assets.sh

# The README's screenshots, taken by the browser test.
screenshots: compile debian
	scripts/refresh_screenshots.sh

# Requests per second and latency of `eimfs-kg serve` beside `oxigraph serve` (loopback, bounded).
bench-load: compile
	$(BIN)/python bench/load.py

# Speed figures, each a ratio to a reference measured beside it (bench/results/*.json, not in
# git), then README's figures table rewritten from every results file between its markers
# (run bench/big_graphs.py, bench/floors.py or `make bench-load` first to bring their tables
# up to date too).
bench: compile
	$(BIN)/python bench/speed.py
	$(BIN)/python bench/build.py
	$(BIN)/python bench/readme_table.py
