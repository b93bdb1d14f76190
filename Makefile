# nyhetsvakt — the two commands of the quick start are `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
DB ?= demo.db

.PHONY: demo test lint bench clean install

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

demo: install
	rm -f $(DB) $(DB)-wal $(DB)-shm
	$(VENV)/bin/nyhetsvakt --db $(DB) ingest examples/
	$(VENV)/bin/nyhetsvakt --db $(DB) stats
	$(VENV)/bin/nyhetsvakt --db $(DB) search "ryska soldater" --limit 3

lint: install
	$(VENV)/bin/ruff check src tests benchmarks scripts

test: lint
	$(VENV)/bin/pytest -q

bench: install
	$(PY) -m pip install --quiet -e '.[bench]'
	$(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) build src/*.egg-info demo.db demo.db-wal demo.db-shm
