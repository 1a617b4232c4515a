# The two commands of a fresh machine: `make run` and `make test`.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint install browser-tools translations clean

# The demo's address (in the links it mails) and its mailbox (/mailbox: mail is kept there, not
# sent), unless the environment says otherwise.
DEMO := AWARDS_BASE_URL=$${AWARDS_BASE_URL:-http://$(HOST):$(PORT)} \
	AWARDS_MAIL_TRANSPORT=$${AWARDS_MAIL_TRANSPORT:-mailbox}

## run: install, migrate, load demo data and serve on the embedded SQLite database, keeping the
## mail it sends in the mailbox at /mailbox
run: install
	$(DEMO) $(BIN)/awards migrate
	$(DEMO) $(BIN)/awards demo
	$(DEMO) $(BIN)/awards serve --host $(HOST) --port $(PORT)

## test: lint, type-check and run the tests (PostgreSQL too when AWARDS_TEST_DATABASE_URL is set),
## one process per core (pytest-xdist), counting tests done, then the ten slowest
## The tests keep their files (SQLite databases, uploads) in memory where the machine has it: a
## commit's fsync costs the disk's time, not the service's behaviour
TEST_TMPDIR ?= $(if $(wildcard /dev/shm),/dev/shm,/tmp)
test: install browser-tools lint
	TMPDIR=$(TEST_TMPDIR) $(BIN)/python -m pytest -n auto --durations=10

## browser-tools: what the browser tests inject into the pages (axe-core), from package.json
AXE := node_modules/axe-core/axe.min.js
browser-tools: $(AXE)

$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

## install: the virtual environment with the service and its test tools, and the translations
## compiled (each .po to the .mo the service reads)
CATALOGUES := $(wildcard src/awards/locale/*/LC_MESSAGES/messages.po)
install: $(VENV)/.installed $(CATALOGUES:.po=.mo)

%.mo: %.po $(VENV)/.installed
	$(BIN)/pybabel -q compile --input-file $< --output-file $@

## translations: after an English message changed in src/awards/web/i18n/en.py, refresh
## messages.pot and merge it into each language's .po, for the translators
translations: $(VENV)/.installed
	$(BIN)/awards translations update

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

clean:
	rm -rf $(VENV) node_modules var .mypy_cache .ruff_cache .pytest_cache src/awards/locale/*/LC_MESSAGES/*.mo
