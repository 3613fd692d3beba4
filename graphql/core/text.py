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

from graphql import GraphQLResolveInfo
from strawberry.extensions import SchemaExtension

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
        return clean_text(value, where)
    if isinstance(value, list):
        for index, item in enumerate(value):
            value[index] = clean_value(item, f"{where}[{index}]")
        return value
    if isinstance(value, dict):
        return {clean_text(str(k), where): clean_value(v, f"{where}.{k}") for k, v in value.items()}
    if is_dataclass(value) and not isinstance(value, type):
        for field in fields(value):
            current = getattr(value, field.name)
            cleaned = clean_value(current, f"{where}.{field.name}")
            if cleaned is not current:
                object.__setattr__(value, field.name, cleaned)
        return value
    return value


class TextGuard(SchemaExtension):
    """Cleans the arguments of every root field before its resolver runs."""

    def resolve(
        self,
        _next: Callable[..., Any],
        root: Any,
        info: GraphQLResolveInfo[Any],
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        if info.path.prev is None and kwargs:  # root fields only: nested fields take no input
            kwargs = {name: clean_value(value, name) for name, value in kwargs.items()}
        return _next(root, info, *args, **kwargs)
