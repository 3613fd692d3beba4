"""Text at the API's boundary (văn bản đầu vào): Unicode NFC, no control characters.

Vietnamese can be typed precomposed (NFC, "Nghệ") or decomposed (NFD, "Nghe" plus combining
marks); both look the same to a clerk, and a unit name must compare equal whichever keyboard
typed it. Every string argument of a root field is therefore normalised to NFC before any
resolver sees it, and what is stored and returned is NFC. Text that is not text is refused with
INVALID_TEXT and records nothing: lone surrogates (valid JSON escapes, but not Unicode),
NUL (PostgreSQL cannot store it) and the other C0 controls except tab, line feed and carriage
return.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import fields, is_dataclass
from typing import Any

from graphql import GraphQLResolveInfo, GraphQLSchema

from thidua.services.errors import ApplicationError

ALLOWED_CONTROLS = frozenset("\t\n\r")


class InvalidText(ApplicationError):
    code = "INVALID_TEXT"


def clean_text(value: str, where: str) -> str:
    """The NFC form of `value`, or InvalidText naming the argument path."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidText(
            f"Trường «{where}» chứa ký tự không hợp lệ (không phải văn bản Unicode).", field=where
        ) from None
    for char in value:
        if (char < " " and char not in ALLOWED_CONTROLS) or char == "\x7f":
            raise InvalidText(
                f"Trường «{where}» chứa ký tự điều khiển không được phép (mã U+{ord(char):04X}).",
                field=where,
            )
    return unicodedata.normalize("NFC", value)


def clean_value(value: Any, where: str) -> Any:
    """Clean every string inside an argument value (input objects, lists), in place where the
    container is mutable, and return the cleaned value."""
    if isinstance(value, str):
        return value if _plain(value) else clean_text(value, where)
    if isinstance(value, list):
        for index, item in enumerate(value):
            if not _settled(item):
                value[index] = clean_value(item, f"{where}[{index}]")
        return value
    if isinstance(value, dict):
        if all(_plain(k) and _settled(v) for k, v in value.items()):
            return value  # an entry of a bulk input, most often: nothing to clean
        return {
            (k if _plain(k) else clean_text(str(k), where)): (
                v if _settled(v) else clean_value(v, f"{where}.{k}")
            )
            for k, v in value.items()
        }
    if is_dataclass(value) and not isinstance(value, type):
        for field in fields(value):
            current = getattr(value, field.name)
            cleaned = clean_value(current, f"{where}.{field.name}")
            if cleaned is not current:
                object.__setattr__(value, field.name, cleaned)
        return value
    return value


def _plain(text: object) -> bool:
    """Printable ASCII: valid, free of controls and already NFC (most keys, codes and numbers),
    so `clean_text` would return it unchanged; checked before any argument path is built."""
    return type(text) is str and text.isascii() and text.isprintable()


def _settled(value: object) -> bool:
    """A value `clean_value` would return unchanged, known without descending into it."""
    kind = type(value)
    if kind is str:
        return _plain(value)
    return value is None or kind is int or kind is float or kind is bool


def _cleaning(original: Callable[..., Any]) -> Callable[..., Any]:
    """`original` (a root field's resolve or subscribe function) with its arguments cleaned."""

    def resolve(root: Any, info: GraphQLResolveInfo[Any], *args: Any, **kwargs: Any) -> Any:
        if kwargs:
            kwargs = {name: clean_value(value, name) for name, value in kwargs.items()}
        return original(root, info, *args, **kwargs)

    resolve.__wrapped__ = original  # type: ignore[attr-defined]
    return resolve


def guard_root_text(schema: GraphQLSchema) -> None:
    """Clean the arguments of every root field (query, mutation, subscription) before its
    resolver runs, with the raw graphql-core argument values and names, as a schema-wide
    `resolve` hook would. Wrapping only the root fields' functions, instead of a
    SchemaExtension `resolve` hook, matters for speed: such a hook makes graphql-core wrap
    every field of every response (a standings page resolves hundreds), while nested fields
    take no input. Idempotent: a field already wrapped is left as it is."""
    for root in (schema.query_type, schema.mutation_type, schema.subscription_type):
        if root is None:
            continue
        for field in root.fields.values():
            for attribute in ("resolve", "subscribe"):
                original = getattr(field, attribute)
                if original is not None and getattr(original, "__wrapped__", None) is None:
                    setattr(field, attribute, _cleaning(original))
