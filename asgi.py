"""ASGI entry point: ``uvicorn asgi:app`` serves everything, subscriptions included.

See :mod:`graphql_api.web.asgi`. The WSGI entry point (``app.py``) serves everything else.
"""

from graphql_api.web.asgi import create_asgi_app

app = create_asgi_app()
