# Two commands: `make run` builds and validates the graph, `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OUT ?= build

.PHONY: compile run test lint clean

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

test: compile
	$(BIN)/ruff check src tests bench
	$(BIN)/python -m pytest src tests

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

clean:
	rm -rf $(OUT) $(VENV) dist .pytest_cache .ruff_cache
