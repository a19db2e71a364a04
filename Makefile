# The two commands a newcomer needs: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install messages bench bench-ocr lint format worker clean

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# Installs exactly what uv.lock pins, into .venv, compiled to bytecode: uv does not
# compile by default, and where PYTHONDONTWRITEBYTECODE is set (as on our machines)
# every process would compile Django, DRF, Celery and redis-py again when it starts
# (1.5 s of CPU and 6 MiB more for each web or Celery worker; README, Performance).
install: $(BIN)/uv
	UV_PROJECT_ENVIRONMENT=$(VENV) $(BIN)/uv sync --frozen --quiet --compile-bytecode

# Compiles the translations when gettext is there; the compiled .mo files are committed.
messages: install
	@if command -v msgfmt >/dev/null; then $(MANAGE) compilemessages --ignore=.venv -v 0; \
	else echo "gettext (msgfmt) not found: using the committed translations"; fi

run: messages
	mkdir -p var/static
	$(MANAGE) migrate --noinput -v 0
	$(MANAGE) seed_demo
	@echo "Serving on http://$(HOST):$(PORT)/"
	$(MANAGE) runserver $(HOST):$(PORT)

# axe-core for the accessibility browser tests, exactly as package-lock.json pins it
# (needs node and npm; node_modules/ is not committed).
node_modules/axe-core/axe.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

test: messages node_modules/axe-core/axe.min.js
	mkdir -p var/static
	$(BIN)/pytest $(PYTEST_ARGS)

worker: install
	$(BIN)/celery -A mamut worker --queues=default,processing,ocr --beat --loglevel=INFO

bench-ocr: install
	$(BIN)/python -m bench.ocr

bench: install
	$(BIN)/python -m bench

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var/static .pytest_cache node_modules
