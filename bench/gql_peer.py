"""The GraphQL-layer peer: the same queries run by graphql-core directly on plain dicts.

A tiny schema with the fields the workloads use, over the very data the server returns
(read once through its API): no Strawberry, no Flask, no database, no value conversion
at request time. What is left is graphql-core's parse, validate and execute, and JSON
(orjson, as the server's view uses).
"""

from __future__ import annotations

import json
from typing import Any

import orjson
from graphql import GraphQLSchema, build_schema, graphql_sync

SDL = """
scalar JSON
input ThemeSelection { modifier: String!, context: String! }
input TokenFilter { types: [String!], pathPrefix: String, deprecated: Boolean }
type ColorValue { hex: String! }
type OtherValue { json: JSON }
union TokenValue = ColorValue | OtherValue
type Token {
  path: String!  type: String  resolvedValue: JSON  value: TokenValue
  aliasOf: Token  aliasChain: [Token!]!  referencedBy: [Token!]!
}
type TokenEdge { cursor: String!, node: Token! }
type TokenConnection { totalCount: Int!, edges: [TokenEdge!]! }
type Query {
  tokens(theme: [ThemeSelection!], filter: TokenFilter, first: Int, after: String): TokenConnection!
  token(path: String!, theme: [ThemeSelection!]): Token
}
"""


def plain_tokens(nodes: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Path → token dict, with aliasOf/aliasChain/referencedBy linked to the other dicts."""
    tokens = {
        n["path"]: {
            "path": n["path"],
            "type": n["type"],
            "resolvedValue": n["resolvedValue"],
            "value": n["value"]
            if n["value"]["__typename"] == "ColorValue"
            else {"__typename": "OtherValue"},
        }
        for n in nodes
    }
    for n in nodes:
        t = tokens[n["path"]]
        t["aliasOf"] = tokens[n["aliasOf"]["path"]] if n["aliasOf"] else None
        t["aliasChain"] = [tokens[x["path"]] for x in n["aliasChain"]]
        t["referencedBy"] = [tokens[x["path"]] for x in n["referencedBy"]]
    return tokens


def root_value(tokens: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Root resolvers (graphql-core calls callables found on the root value)."""
    ordered = [tokens[p] for p in sorted(tokens)]

    def all_tokens(_info: Any, **_args: Any) -> dict[str, Any]:
        return {"totalCount": len(ordered), "edges": [{"cursor": "", "node": t} for t in ordered]}

    def token(_info: Any, path: str, **_args: Any) -> dict[str, Any] | None:
        return tokens.get(path)

    return {"tokens": all_tokens, "token": token}


class Peer:
    """``Peer(nodes).execute(body)`` → response bytes, like ``POST /graphql``."""

    def __init__(self, nodes: list[dict[str, Any]]) -> None:
        self.schema: GraphQLSchema = build_schema(SDL)
        self.root = root_value(plain_tokens(nodes))

    def execute(self, body: bytes) -> bytes:
        """Parse, validate and execute a JSON request body; encode the result as JSON."""
        req = json.loads(body)
        result = graphql_sync(
            self.schema, req["query"], root_value=self.root, variable_values=req.get("variables")
        )
        out: dict[str, Any] = {"data": result.data}
        if result.errors:
            out["errors"] = [e.formatted for e in result.errors]
        return orjson.dumps(out)
