"""gunicorn settings for production: ``gunicorn -c python:graphql_api.web.gunicorn_conf app:app``.

Every value can be changed by an environment variable (``GUNICORN_WORKERS`` …) or on
the command line. Each worker is one process with its own snapshot and response caches
and its own database pool (``TOKENS_DB_POOL_SIZE``, default 5, ≥ ``GUNICORN_THREADS``).
Workers notice writes from any other process through the data revision.
"""

from __future__ import annotations

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# CPU-bound work (resolution, GraphQL execution): about one process per core, plus one.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))  # a cold Primer theme takes ~0.15 s
graceful_timeout = 20
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))  # 0: never recycle
max_requests_jitter = 100
accesslog = "-"
errorlog = "-"
proc_name = "tokens-server"
