"""WSGI entry point: ``flask --app app run``."""

from graphql_api import create_app

app = create_app()
