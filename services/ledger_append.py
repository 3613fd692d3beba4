"""Appending to a province's ledger in one statement (ghi sổ cái một lượt), run by PostgreSQL.

`<schema>.ledger_append(events, key...)` takes the ledger's EXCLUSIVE lock (which orders positions
by commit, as eventsourcing's insert does), notifies the listeners, inserts the events (the
chain and closure triggers run as for any insert) and, for a command with an idempotency key,
records the key with its outcome at the position of the last event, or moves a recorded
outcome to it. Called alone in autocommit mode, the statement is its own transaction: it
commits as soon as the server has done its work, so the lock is never held while the
application takes its turn to send the next statement.
"""

# ruff: noqa: S608 - the only interpolated names are schema and table names from validated codes

from __future__ import annotations

FUNCTION = "ledger_append"
LOCK_WAIT_MS = 5000  # for the ledger's lock, behind other writers


def append_ddl(schema: str, events_table: str, event_type: str, keys_table: str) -> list[str]:
    """The function; idempotent. `schema` is validated; the other names are the recorder's (the
    notification channel is named after the events table, as the library names it)."""
    events = f'"{schema}"."{events_table}"'
    keys = f'"{schema}"."{keys_table}"'
    return [
        f"""
        CREATE OR REPLACE FUNCTION "{schema}".{FUNCTION}(
            events "{schema}"."{event_type}"[],
            key_subject text, key_name text, key_operation text, key_digest text,
            key_outcome jsonb, key_attempt text, key_first boolean
        ) RETURNS SETOF bigint
        LANGUAGE plpgsql AS $fn$
        DECLARE
            ids bigint[];
        BEGIN
            -- Bounds the wait for the lock (a stuck writer answers an error, not a hang).
            PERFORM set_config('lock_timeout', '{LOCK_WAIT_MS}ms', true);
            LOCK TABLE {events} IN EXCLUSIVE MODE;
            NOTIFY "{events_table}";
            WITH inserted AS (
                INSERT INTO {events} (originator_id, originator_version, topic, state)
                SELECT originator_id, originator_version, topic, state FROM unnest(events)
                RETURNING notification_id
            )
            SELECT array_agg(notification_id ORDER BY notification_id) INTO ids FROM inserted;
            IF key_subject IS NOT NULL THEN
                IF key_first THEN
                    INSERT INTO {keys} (subject, key, operation, request_hash, state, outcome, attempt)
                    VALUES (key_subject, key_name, key_operation, key_digest, 'done',
                            jsonb_set(key_outcome, '{{position}}', to_jsonb(ids[cardinality(ids)])),
                            key_attempt);
                ELSE
                    UPDATE {keys}
                    SET outcome = jsonb_set(outcome, '{{position}}', to_jsonb(ids[cardinality(ids)]))
                    WHERE subject = key_subject AND key = key_name;
                END IF;
            END IF;
            RETURN QUERY SELECT unnest(ids);
        END
        $fn$
        """
    ]
