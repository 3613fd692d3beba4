# mypy: disable-error-code="untyped-decorator"
# (strawberry.field with keyword options is typed as returning Any; resolvers stay typed)
"""Global IDs (mã toàn cục) and the Relay `Node` interface.

A global ID names one object across the platform: the base64 (URL-safe, unpadded) of
`Type:province:key`, e.g. `Unit:nghe-an:so-noi-vu`. The province is part of the ID because a
key is unique only within its province: a token of one province handed another province's ID
gets nothing back (`node` answers null), never the same-keyed object of its own province.
Clients treat the ID as opaque.
"""

from __future__ import annotations

import base64
import binascii

import strawberry

MAX_ID_CHARS = 1024  # an ID this API gives out is far shorter (a key is at most 200 characters)


def encode_global_id(type_name: str, province: str, key: str) -> strawberry.ID:
    raw = f"{type_name}:{province}:{key}".encode()
    return strawberry.ID(base64.urlsafe_b64encode(raw).decode().rstrip("="))


def decode_global_id(value: str) -> tuple[str, str, str] | None:
    """(type name, province, key) of a global ID; None when it is not one this API gives out."""
    if not value or len(value) > MAX_ID_CHARS:
        return None
    try:
        text = base64.urlsafe_b64decode((value + "=" * (-len(value) % 4)).encode()).decode()
    except (binascii.Error, ValueError, UnicodeError):
        return None
    parts = text.split(":", 2)
    if len(parts) != 3 or not all(parts) or any(c < " " or c == "\x7f" for c in text):
        return None
    return parts[0], parts[1], parts[2]


@strawberry.interface(description="Đối tượng có mã toàn cục (Relay Node): lấy lại bằng truy vấn `node(id:)`.")
class Node:
    @strawberry.field(
        description="Mã toàn cục, mờ (opaque), duy nhất trên toàn nền tảng; gồm loại, tỉnh và mã."
    )
    def id(self) -> strawberry.ID:
        type_name, province, key = self.node_ref()
        return encode_global_id(type_name, province, key)

    def node_ref(self) -> tuple[str, str, str]:
        """(GraphQL type name, province, key) of this object."""
        raise NotImplementedError
