# Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000

.PHONY: run test install install-dev

## Install, migrate, ingest the seed articles, then serve the site at http://$(HOST) and run
## one worker (tracked sources, queued ingests); one Ctrl-C stops both
run: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py ingest seeds/
	HOST=$(HOST) $(BIN)/honcho start -f Procfile

## Install everything the tests need and run the whole suite
test: install-dev
	$(BIN)/python -m pytest

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(VENV)/.installed $@
