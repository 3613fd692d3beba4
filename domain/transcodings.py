"""JSON transcodings for the value types the domain's events carry beyond the library's own."""

from __future__ import annotations

from datetime import date

from eventsourcing.persistence import JSONTranscoder, Transcoding


class DateAsISO(Transcoding):
    """`date` as "YYYY-MM-DD" (the library ships datetime, UUID and Decimal, not date)."""

    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


def register_domain_transcodings(transcoder: JSONTranscoder) -> None:
    """Call from `Application.register_transcodings` after the library's defaults."""
    transcoder.register(DateAsISO())
