# Developer tasks. `make test` works on a fresh machine: the venv target installs everything.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Touched after a successful install; older than pyproject.toml means "reinstall".
VENV_STAMP := $(VENV)/.installed
GRAPHIQL := graphql_api/static/graphiql
RESOLVER := tests/data/primer-primitives/primer-primitives.resolver.json

.PHONY: venv graphiql test serve lock docs

venv: $(VENV_STAMP) graphiql

$(VENV_STAMP): pyproject.toml requirements/dev.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check --no-input -r requirements/dev.lock
	$(BIN)/python -m pip install --disable-pip-version-check --no-input --no-deps -e .
	touch $@

# The lock files pin every package (and every package it pulls in) that `make`, `.ci/run`
# and the Dockerfile install. After changing a dependency in pyproject.toml: `make lock`,
# run the tests, commit pyproject.toml with requirements/*.lock.
LOCK := $(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 --quiet
lock: venv
	$(LOCK) -o requirements/app.lock
	$(LOCK) --extra test --extra lint --extra docs -o requirements/dev.lock

# GraphiQL assets come from the npm registry at set-up (nothing is fetched at run time).
graphiql:
	@if [ -f $(GRAPHIQL)/package.json ] && [ ! -d $(GRAPHIQL)/node_modules ]; then \
		npm ci --prefix $(GRAPHIQL) --no-audit --no-fund; \
	fi

# One worker per core (pytest-xdist); a test file stays on one worker, so its module
# fixtures (servers, imported design systems) are built once.
test: venv
	$(BIN)/python -m pytest -q -n auto --dist loadfile

serve: venv
	$(BIN)/alembic upgrade head
	$(BIN)/flask --app app tokens import $(RESOLVER)
	$(BIN)/uvicorn asgi:app --host 127.0.0.1 --port 5000

# The documentation site (docs/ + mkdocs.yml) in build/site; --strict fails on a broken link.
# (MkDocs, Material and mkdocstrings come with requirements/dev.lock: the `docs` extra.)
docs: venv
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict
