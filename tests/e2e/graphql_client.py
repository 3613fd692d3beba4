"""A small GraphQL-over-HTTP client for the e2e tests, and a module-scoped served app."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import ServedApp


class GraphQLClient:
    """Posts queries to a served app as one caller (a bearer token, or none)."""

    def __init__(self, served: ServedApp, token: str | None) -> None:
        self.served = served
        self.token = token
        self.http = httpx.Client(base_url=served.url, timeout=30)

    def post(self, query: str, variables: dict[str, Any] | None = None, **headers: str) -> Any:
        send = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        send.update(headers)
        response = self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=send
        )
        assert response.status_code == 200, response.text
        return response.json()

    def data(self, query: str, variables: dict[str, Any] | None = None) -> Any:
        body = self.post(query, variables)
        assert not body.get("errors"), body["errors"]
        return body["data"]

    def error_code(self, query: str, variables: dict[str, Any] | None = None) -> str:
        body = self.post(query, variables)
        assert body.get("errors"), body
        return str(body["errors"][0]["extensions"]["code"])

    def mutate(
        self,
        name: str,
        input_: dict[str, Any],
        *,
        key: str | None = None,
        fields: str = "ok position key errors { code message field }",
    ) -> Any:
        """Run mutation `name(input:, idempotencyKey:)` and return its payload."""
        query = (
            f"mutation($input: {name[0].upper() + name[1:]}Input!, $key: String) "
            f"{{ {name}(input: $input, idempotencyKey: $key) {{ {fields} }} }}"
        )
        return self.data(query, {"input": input_, "key": key})[name]
