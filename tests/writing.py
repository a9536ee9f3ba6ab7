"""Helpers of the write tests: a small themed design system and a client with an API key."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graphql_api.store import db, repository
from graphql_api.web import auth
from graphql_api.writes import Workspace
from tests.helpers import data_of

if TYPE_CHECKING:
    from collections.abc import Mapping

    from flask import Flask
    from flask.testing import FlaskClient
    from sqlalchemy.orm import Session

#: A resolver document with inline sources: a set ``base`` and a modifier ``theme``.
#: light: accent.fg → color.blue.5; dark: accent.fg → color.red.5; accent.bg → accent.fg
#: in light only; size.gap → size.unit; border.focus uses both (a composite).
MINI: dict[str, Any] = {
    "version": "2025.10",
    "sets": {
        "base": {
            "sources": [
                {
                    "color": {
                        "$type": "color",
                        "blue": {"5": {"$value": "#0969da"}},
                        "red": {"5": {"$value": "#d1242f"}},
                        "gray": {"1": {"$value": "#eeeeee", "$description": "light gray"}},
                    },
                    "size": {
                        "$type": "dimension",
                        "unit": {"$value": {"value": 4, "unit": "px"}},
                        "gap": {"$value": "{size.unit}"},
                    },
                }
            ]
        }
    },
    "modifiers": {
        "theme": {
            "default": "light",
            "contexts": {
                "light": [
                    {
                        "accent": {
                            "$type": "color",
                            "fg": {"$value": "{color.blue.5}"},
                            "bg": {"$value": "{accent.fg}"},
                        },
                        "border": {
                            "focus": {
                                "$type": "border",
                                "$value": {
                                    "color": "{accent.fg}",
                                    "width": "{size.unit}",
                                    "style": "solid",
                                },
                            }
                        },
                    }
                ],
                "dark": [
                    {
                        "accent": {
                            "$type": "color",
                            "fg": {"$value": "{color.red.5}"},
                            "bg": {"$value": "#000000"},
                        },
                        "border": {
                            "focus": {
                                "$type": "border",
                                "$value": {
                                    "color": "{accent.fg}",
                                    "width": {"value": 2, "unit": "px"},
                                    "style": "solid",
                                },
                            }
                        },
                    }
                ],
            },
        }
    },
    "resolutionOrder": [{"$ref": "#/sets/base"}, {"$ref": "#/modifiers/theme"}],
}

DARK = [{"modifier": "theme", "context": "dark"}]

#: Selections of each success type.
SUCCESS = {
    "WriteSuccess": "revision message changes { path previousPath layer before after author }",
    "TokenSuccess": "revision message changes { path previousPath layer before after author } "
    "token { path resolvedValue }",
    "ModifierSuccess": "revision message changes { path layer before after } "
    "modifier { name default contexts { name } }",
    "ImportSuccess": "revision message changes tokens values aliases",
    "ReleaseSuccess": "release { name notes revision author }",
}
REFUSALS = """
... on ValidationError { message problems { code message path file pointer } }
... on NotFound { message kind }
... on Conflict { message code currentRevision }
"""
#: Mutation → its success type.
SUCCESS_OF = {
    "importTokens": "ImportSuccess",
    "applyPatch": "WriteSuccess",
    "createRelease": "ReleaseSuccess",
    **dict.fromkeys(
        (
            "createModifier",
            "renameModifier",
            "deleteModifier",
            "setModifierDefault",
            "createContext",
            "renameContext",
            "deleteContext",
        ),
        "ModifierSuccess",
    ),
}


def mutation(name: str, input_type: str) -> str:
    """``mutation($input: <input_type>!) { <name>(input: $input) { …every member… } }``."""
    if name == "validateTokens":
        body = "valid problems { code message path file pointer }"
    else:
        success = SUCCESS_OF.get(name, "TokenSuccess")
        body = f"__typename ... on {success} {{ {SUCCESS[success]} }} {REFUSALS}"
    return f"mutation($input: {input_type}!) {{ {name}(input: $input) {{ {body} }} }}"


def make_key(app: Flask, name: str, scope: str) -> str:
    """A new API key (its full text)."""
    with app.app_context():
        session = db.get_session()
        key = auth.create_key(session, name, scope)
        session.commit()
    return key


@dataclass
class Writer:
    """A test client that sends an API key."""

    client: FlaskClient
    key: str | None

    def post(self, query: str, variables: Mapping[str, Any] | None = None) -> Any:
        """The decoded body of a POST to /graphql."""
        headers = {"Authorization": f"Bearer {self.key}"} if self.key else {}
        body = {"query": query, "variables": dict(variables or {})}
        response = self.client.post("/graphql", json=body, headers=headers)
        return response.get_json()

    def call(self, op: str, input_type: str, /, **fields: Any) -> dict[str, Any]:
        """Run mutation ``op`` with ``input`` = ``fields``; its payload."""
        result: dict[str, Any] = data_of(self.post(mutation(op, input_type), {"input": fields}))
        payload: dict[str, Any] = result[op]
        return payload

    def read(self, query: str, variables: Mapping[str, Any] | None = None) -> Any:
        """The data of a query that must succeed."""
        return data_of(self.post(query, variables))

    def resolved(
        self, path: str, theme: list[dict[str, str]] | None = None, release: str | None = None
    ) -> Any:
        """``resolvedValue`` of a token (None if it does not exist: ``TOKEN_NOT_FOUND``)."""
        result = self.post(
            "query($p: String!, $t: [ThemeSelection!], $r: String) "
            "{ token(path: $p, theme: $t, release: $r) { resolvedValue } }",
            {"p": path, "t": theme, "r": release},
        )
        if result.get("errors"):
            assert [e["extensions"]["code"] for e in result["errors"]] == ["TOKEN_NOT_FOUND"]
            assert result["data"] == {"token": None}
            return None
        return result["data"]["token"]["resolvedValue"]

    def revision(self) -> int:
        """The current data revision."""
        revision: int = self.read("{ revision }")["revision"]
        return revision

    def all_tokens(
        self, theme: list[dict[str, str]] | None = None, release: str | None = None
    ) -> dict[str, Any]:
        """path → (type, resolvedValue) of every token."""
        data = self.read(
            "query($t: [ThemeSelection!], $r: String) { tokens(theme: $t, release: $r) "
            "{ edges { node { path type resolvedValue } } } }",
            {"t": theme, "r": release},
        )
        return {
            e["node"]["path"]: (e["node"]["type"], e["node"]["resolvedValue"])
            for e in data["tokens"]["edges"]
        }


def import_mini(writer: Writer, document: dict[str, Any] | None = None) -> dict[str, Any]:
    """Import :data:`MINI` (or ``document``) through ``importTokens``; the payload."""
    doc = copy.deepcopy(document or MINI)
    payload = writer.call("importTokens", "TokenSourceInput", document=doc)
    assert payload["__typename"] == "ImportSuccess", payload
    return payload


def workspace_of(session: Session) -> Workspace:
    """A write's workspace on the session's current data (as :func:`graphql_api.writes.run`
    makes it, without the write lock)."""
    return Workspace(
        session, repository.load_catalog(session), repository.current_revision(session)
    )
