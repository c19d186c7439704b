# The two commands a newcomer needs:  make run   (start the app)   make test   (run every test)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test install lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

## Start the app on http://localhost:8501 (SQLite in data/eflg.db unless EFLG_DATABASE_URL is set).
run: install
	$(BIN)/python -m dashboard seed --if-empty
	$(BIN)/streamlit run dashboard/app.py --server.address localhost --server.port 8501

## Lint, type-check and run every test (unit, data on SQLite + PostgreSQL, app, real browser).
test: install
	bash .ci/test

## Speed and scale figures (prints a table, writes bench/results.json); takes several minutes.
bench: install
	bash .ci/system-packages
	$(BIN)/python -m bench

lint: install
	$(BIN)/ruff check dashboard models pages tests
	$(BIN)/ruff format --check dashboard models pages tests
	$(BIN)/mypy dashboard models pages

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache test-artifacts
