# Production image of the token server: the same gunicorn command that `bench/` and the
# README run on the host (`gunicorn -c python:graphql_api.web.gunicorn_conf app:app`).
# Docker does not run on the development machines; this file is kept minimal on purpose.

# 1. GraphiQL's assets from the npm registry (lockfile; nothing from a CDN at run time).
FROM node:20-slim AS graphiql
WORKDIR /build/graphql_api/static/graphiql
COPY graphql_api/static/graphiql/package.json graphql_api/static/graphiql/package-lock.json ./
RUN npm ci --no-audit --no-fund

# 2. Python dependencies as wheels.
FROM python:3.11-slim AS wheels
WORKDIR /build
COPY pyproject.toml ./
COPY requirements/app.lock ./requirements/app.lock
COPY graphql_api ./graphql_api
RUN pip wheel --no-cache-dir --wheel-dir /wheels -r requirements/app.lock \
 && pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

# 3. Runtime: no compilers, no npm, a non-root user.
FROM python:3.11-slim
RUN useradd --create-home --uid 10001 tokens
WORKDIR /app
COPY --from=wheels /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
COPY app.py asgi.py alembic.ini ./
COPY alembic ./alembic
COPY graphql_api ./graphql_api
COPY --from=graphiql /build/graphql_api/static/graphiql/node_modules ./graphql_api/static/graphiql/node_modules
RUN mkdir -p /app/instance && chown tokens /app/instance
USER tokens
ENV GUNICORN_BIND=0.0.0.0:8000 PYTHONUNBUFFERED=1
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/graphql?query=%7B__typename%7D', timeout=2)"
# DATABASE_URL selects the database (default: SQLite in /app/instance). uvicorn serves the
# ASGI entry point (live updates included); WEB_CONCURRENCY sets its worker processes.
# WSGI only, without subscriptions: gunicorn -c python:graphql_api.web.gunicorn_conf app:app
ENV WEB_CONCURRENCY=2
CMD ["sh", "-c", "alembic upgrade head && exec uvicorn asgi:app --host 0.0.0.0 --port 8000 --proxy-headers"]
