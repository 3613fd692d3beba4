"""Versioned schema changes (migrations): numbered steps applied in order under the schema lock.

Two series, each with its own version table: the platform's (`platform.schema_migrations`: the
province registry, the readiness row, the read model's role, schemas and tracking table) and
every province's (`<schema>.schema_migrations`: the event store, its chain triggers, the
idempotency keys and the file store). Step 1 of each series is the baseline, the schema as the
release before versioning (commit cac36b0) made it; its statements are idempotent, so a database
made by that release records the baseline without changes. The projections' own tables are not
migrated: they carry their projection's version in their name and are rebuilt from the events
(`thidua projections rebuild`).
"""

from thidua.services.migrations.runner import (
    SCHEMA_LOCK,
    MigrationStatus,
    SchemaNewerThanRelease,
    migrate_platform,
    migrate_province,
    platform_status,
    province_status,
    schema_lock,
)

__all__ = [
    "SCHEMA_LOCK",
    "MigrationStatus",
    "SchemaNewerThanRelease",
    "migrate_platform",
    "migrate_province",
    "platform_status",
    "province_status",
    "schema_lock",
]
