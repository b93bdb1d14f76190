# nyhetsvakt — the two commands of the quick start are `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
DB ?= demo.db

.PHONY: demo test lint bench clean install browser postgres

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,web,ray,postgres]'
	touch $@

install: $(VENV)/.installed

demo: install
	rm -f $(DB) $(DB)-wal $(DB)-shm
	$(VENV)/bin/nyhetsvakt --db $(DB) ingest examples/
	$(VENV)/bin/nyhetsvakt --db $(DB) stats
	$(VENV)/bin/nyhetsvakt --db $(DB) search "ryska soldater" --limit 3
	$(VENV)/bin/nyhetsvakt --db $(DB) stories --min-size 2
	$(VENV)/bin/nyhetsvakt --db $(DB) quotes --limit 5
	@echo ""
	@echo "Web UI and API: $(VENV)/bin/nyhetsvakt --db $(DB) serve   then open http://127.0.0.1:8000/"

lint: install
	$(VENV)/bin/ruff check src tests benchmarks scripts

# Headless Chromium for the browser tests (Debian's package); they skip, saying why, without it.
browser:
	scripts/install_browser.sh || echo "chromium cannot be installed here: the browser tests will skip"

# A local PostgreSQL (Debian's package) for the tests that run on both stores: they start a
# throw-away server from it (or use NYHETSVAKT_TEST_POSTGRES); without one they skip, saying why.
postgres:
	scripts/install_postgres.sh || echo "postgresql cannot be installed here: the PostgreSQL tests will skip"

test: lint browser postgres
	$(VENV)/bin/pytest -q

bench: install
	$(PY) -m pip install --quiet -e '.[bench]'
	command -v wrk >/dev/null || apt-get install -y -qq wrk || true
	$(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) build src/*.egg-info demo.db demo.db-wal demo.db-shm
