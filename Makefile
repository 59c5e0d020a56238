# Gza: `make run` and `make test` are all a newcomer needs (Python 3.12+).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help install catalogues migrate data run worker test test-fast lint format bench messages clean

help:
	@echo "make run      set up and serve http://$(HOST):$(PORT) with demo data"
	@echo "make test     run the whole test suite"
	@echo "make worker   run the background task worker"
	@echo "make lint     ruff format --check and ruff check"
	@echo "make bench    run the benchmarks and write var/bench/report.md"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' \
		|| { echo "Gza needs Python 3.12 or newer (found: $$($(PYTHON) --version))."; exit 1; }
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the dependency pins change.
$(VENV)/.installed: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $@

install: $(VENV)/.installed

catalogues: install
	$(MANAGE) compile_catalogues

migrate: catalogues
	$(MANAGE) migrate --no-input
	$(MANAGE) createcachetable

data: migrate
	$(MANAGE) load_reference
	$(MANAGE) load_indicators
	$(MANAGE) load_demo

run: data
	$(MANAGE) runserver $(HOST):$(PORT)

worker: migrate
	$(MANAGE) db_worker

test: catalogues
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: catalogues
	$(BIN)/python -m bench

# Extracting messages needs GNU gettext (xgettext); compiling them does not.
messages: install
	$(MANAGE) makemessages --locale ka --locale en --no-location --ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*'

clean:
	rm -rf $(VENV) var
