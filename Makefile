# Two commands do everything: `make run` and `make test` (see README.md).
VENV    ?= .venv
# CPython 3.12 when the machine has one (python3.12 on the PATH, or pyenv's), else python3:
# threaded gunicorn workers crash on 3.11 and are refused there (gunicorn.conf.py); the
# Docker image runs 3.12 too. `make PYTHON=python3` picks the other.
PYTHON  ?= $(or $(shell for p in python3.12 $(wildcard $(HOME)/.pyenv/versions/3.12*/bin/python3.12); do \
             $$p -c 'import sys' >/dev/null 2>&1 && { echo $$p; break; }; done),python3)
PY      := $(VENV)/bin/python
FLASK   := $(VENV)/bin/flask
HOST    ?= 127.0.0.1
PORT    ?= 5000
# Three test workers on two cores: many tests wait on servers and browsers they started
# (four were slower: 24 min for SQLite against 19.5). loadgroup: a module marked
# xdist_group builds its session crawl on one worker, not on each.
WORKERS ?= 3
export FLASK_APP := pairing

.PHONY: run test install install-test lint translations db clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Stamps make repeated runs fast; they are redone when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed translations

install-test: $(VENV)/.installed-test translations

translations: | $(PY)
	$(PY) -m pairing.i18n

db: install
	$(FLASK) db upgrade
	$(FLASK) demo load-if-empty

# Serves the demo at http://$(HOST):$(PORT); housekeeping runs every minute beside it.
run: db
	@( while sleep 60; do $(FLASK) housekeeping >/dev/null 2>&1 || true; done ) & \
	HK=$$!; trap 'kill $$HK 2>/dev/null' EXIT INT TERM; \
	$(FLASK) run --host $(HOST) --port $(PORT)

lint: install-test
	$(VENV)/bin/ruff check .

# Every test on SQLite, then on PostgreSQL when it answers (with CI=true it must). CI has 30
# minutes: the PostgreSQL run leaves out what does not depend on the database (the pure
# solver, the browser tests and the bad-input crawl); `make test PG_SKIP=` runs them too.
PG_SKIP ?= -m "not browser" --ignore=tests/test_bad_input.py
test: install-test lint
	PAIRING_TEST_DB=sqlite $(PY) -m pytest -n $(WORKERS) --dist loadgroup -p no:cacheprovider
	@if $(PY) tests/postgres_available.py; then \
		PAIRING_TEST_DB=postgres $(PY) -m pytest -n $(WORKERS) --dist loadgroup -p no:cacheprovider \
			--ignore=tests/solver $(PG_SKIP); \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL does not answer and CI=true: failing"; exit 1; \
	else \
		echo "PostgreSQL does not answer: its run is skipped (set CI=true to fail instead)"; \
	fi

clean:
	rm -rf $(VENV) instance .pytest_cache
