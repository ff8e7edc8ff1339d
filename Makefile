# The two README commands: `make run` (the gateway with its embedded defaults) and `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip install -q --disable-pip-version-check
# pip's local mirror warnings ("... is ignored") are noise; real errors still fail the step.
QUIET_PIP := 2> >(grep -v "is ignored: it is neither" >&2)
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/webview
TEST_REDIS ?= redis://127.0.0.1:6379
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)

.PHONY: run test test-sqlite test-postgres test-soak install install-dev system-test-deps assets

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) -r requirements.txt $(QUIET_PIP)
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(PIP) -r requirements-dev.txt $(QUIET_PIP)
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

# Web (daphne), the Celery worker with beat embedded (both queues, tasks in threads: the
# one-process command of DESIGN.md), and the embedded Redis unless REDIS_URL is set; Ctrl-C stops
# them all. One box gains nothing from more processes (measured: bench/footprint.py). A larger
# site runs `celery -A webview worker -Q acquisition` per shard, `-Q celery`, and one
# `celery -A webview beat` instead.
# The simulated demo site is configured once, given a year of history once (seconds), and
# simulated while the gateway runs; WEBVIEW_DEMO=0
# runs the gateway alone (real meters).
WEBVIEW_DEMO ?= 1
PROCESSES := $(if $(REDIS_URL),,redis) web worker $(if $(filter 1,$(WEBVIEW_DEMO)),simulator,)

run: install
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py collectstatic --noinput -v0
	$(if $(filter 1,$(WEBVIEW_DEMO)),$(PY) manage.py setup_demo && $(PY) manage.py seed_history --days 365,)
	exec honcho -f Procfile start $(PROCESSES)

# Rebuild webview/static/dist/ (ECharts subset, Alpine CSP build, htmx) from frontend/package-lock.json.
# Only for changing a front-end library: the built files are committed, so neither `make run` nor
# `make test` needs npm.
assets:
	cd frontend && npm ci --no-audit --no-fund && node build.mjs

# Headless Chromium for the browser tests comes from Debian (a browser download cannot work here);
# socat makes the pty pair of the Modbus RTU tests.
system-test-deps:
	@command -v chromium >/dev/null && command -v socat >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium socat; }

test: install-dev system-test-deps test-sqlite test-postgres test-soak

test-sqlite:
	WEBVIEW_DATA_DIR=$(CURDIR)/var/test-sqlite REDIS_URL=$(TEST_REDIS)/1 WEBVIEW_CHANNEL_PREFIX=test-sqlite \
		$(PY) -m pytest $(PYTEST_ARGS)

test-postgres:
	DATABASE_URL=$(PG_TEST_URL) WEBVIEW_DATA_DIR=$(CURDIR)/var/test-postgres REDIS_URL=$(TEST_REDIS)/2 \
		WEBVIEW_CHANNEL_PREFIX=test-postgres $(PY) -m pytest $(PYTEST_ARGS)

# The gateway as `make run` starts it (embedded Redis, SQLite, every process, the demo meters) left
# polling for minutes with a browser on a quiet Monitor page and failing meters: once, not per
# database, and with no REDIS_URL (tests/soak/; about 6 minutes).
test-soak:
	WEBVIEW_DATA_DIR=$(CURDIR)/var/test-soak $(PY) -m pytest -m soak tests/soak $(PYTEST_ARGS)
