"""One subscription over graphql-transport-ws, reduced to what the tests judge: how it ended."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect
from websockets.typing import Subprotocol


@dataclass
class SubscriptionOutcome:
    """`closed` (with the close code), `error` (codes), or `open` (data messages seen)."""

    kind: str
    close_code: int | None = None
    codes: list[str] = field(default_factory=list)
    messages: list[dict[str, Any]] = field(default_factory=list)
    raw: list[str] = field(default_factory=list)


def subscribe(
    url: str,
    query: str,
    variables: dict[str, Any],
    *,
    header: str | None = None,
    init_payload: dict[str, Any] | None = None,
    listen_s: float = 1.0,
) -> SubscriptionOutcome:
    """Connect (token in the upgrade header and/or `connection_init`), subscribe, listen."""
    ws_url = url.replace("http://", "ws://") + "/graphql"
    headers = {"Authorization": header} if header is not None else None
    raw: list[str] = []
    try:
        with connect(
            ws_url,
            subprotocols=[Subprotocol("graphql-transport-ws")],
            additional_headers=headers,
            open_timeout=10,
        ) as ws:
            ws.send(json.dumps({"type": "connection_init", "payload": init_payload or {}}))
            raw.append(str(ws.recv(timeout=10)))
            if json.loads(raw[-1])["type"] != "connection_ack":
                return SubscriptionOutcome("unexpected", raw=raw)
            ws.send(
                json.dumps(
                    {"id": "1", "type": "subscribe", "payload": {"query": query, "variables": variables}}
                )
            )
            outcome = SubscriptionOutcome("open", raw=raw)
            deadline = time.monotonic() + listen_s
            while time.monotonic() < deadline:
                try:
                    text = str(ws.recv(timeout=max(0.05, deadline - time.monotonic())))
                except TimeoutError:
                    break
                raw.append(text)
                message = json.loads(text)
                if message["type"] == "error":
                    outcome.kind = "error"
                    outcome.codes = [str(e.get("extensions", {}).get("code")) for e in message["payload"]]
                    return outcome
                if message["type"] == "next":
                    errors = message["payload"].get("errors") or []
                    if errors:
                        outcome.kind = "error"
                        outcome.codes = [str(e.get("extensions", {}).get("code")) for e in errors]
                        return outcome
                    outcome.messages.append(message["payload"])
                if message["type"] == "complete":
                    break
            return outcome
    except ConnectionClosed as closed:
        return SubscriptionOutcome("closed", close_code=closed.rcvd.code if closed.rcvd else None, raw=raw)
    except InvalidStatus as refused:
        return SubscriptionOutcome("closed", close_code=refused.response.status_code, raw=raw)
