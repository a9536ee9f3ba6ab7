# Developer tasks. `make test` and `make serve` work on a fresh machine: each installs what it
# needs, at the versions of the lock files. `make serve` installs only what serving needs
# (requirements/app.lock, then the package); `make test` adds the test and lint tools
# (requirements/dev.lock); `bash bench/run` installs the bench tools itself.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Touched after a successful install; older than its lock file means "reinstall".
VENV_STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
GRAPHIQL := graphql_api/static/graphiql
RESOLVER := tests/data/primer-primitives/primer-primitives.resolver.json
PIP := $(BIN)/python -m pip install --disable-pip-version-check --no-input
# Where `make serve` listens: `make serve HOST=0.0.0.0 PORT=8080`.
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: venv test-venv graphiql test serve lock docs

venv: $(VENV_STAMP) graphiql
test-venv: $(TEST_STAMP) graphiql

$(VENV_STAMP): pyproject.toml requirements/app.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) -r requirements/app.lock
	$(PIP) --no-deps -e .
	touch $@

$(TEST_STAMP): $(VENV_STAMP) requirements/dev.lock
	$(PIP) -r requirements/dev.lock
	touch $@

# The lock files pin every package (and every package it pulls in) that `make`, `.ci/run`
# and the Dockerfile install. After changing a dependency in pyproject.toml: `make lock`,
# run the tests, commit pyproject.toml with requirements/*.lock.
LOCK := $(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 --quiet
lock: test-venv
	$(LOCK) -o requirements/app.lock
	$(LOCK) --extra test --extra lint --extra docs -o requirements/dev.lock

# GraphiQL assets come from the npm registry at set-up (nothing is fetched at run time).
graphiql:
	@if [ -f $(GRAPHIQL)/package.json ] && [ ! -d $(GRAPHIQL)/node_modules ]; then \
		npm ci --prefix $(GRAPHIQL) --no-audit --no-fund; \
	fi

# Three workers (pytest-xdist) on the 2-core machine: many tests wait on servers, browsers
# and subprocesses, so a third keeps both cores busy (456 s against 516 s with two, when
# the suite took that long; 212 s on 2026-12-05). A test
# file stays on one worker, so its module fixtures (servers, imported design systems) are
# built once. Files go out in collection
# order (--no-loadscope-reorder), which starts the longest first (tests/conftest.py).
# Byte-code is written even where PYTHONDONTWRITEBYTECODE is set: without it every worker,
# and every server or CLI a test starts, compiles the package and rewrites the tests again
# (about 7 s of CPU per worker for collection alone).
test: test-venv
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m compileall -q graphql_api
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -q -n 3 --dist loadfile --no-loadscope-reorder

# HOST and PORT are checked before anything is written; the demo design system is imported
# only into an empty database (your edits are never replaced).
serve: venv
	$(BIN)/python -m graphql_api.web.listen --host '$(HOST)' --port '$(PORT)'
	$(BIN)/alembic upgrade head
	$(BIN)/flask --app app tokens import --if-empty $(RESOLVER)
	$(BIN)/uvicorn asgi:app --host '$(HOST)' --port '$(PORT)'

# The documentation site (docs/ + mkdocs.yml) in build/site; --strict fails on a broken link.
# (MkDocs, Material and mkdocstrings come with requirements/dev.lock: the `docs` extra.)
docs: test-venv
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict
