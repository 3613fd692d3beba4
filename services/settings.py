"""Settings read once from the environment, validated at start with a message a person can act on."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from thidua.services.servers import parse_servers

Environment = Literal["development", "production", "test"]
LogFormat = Literal["auto", "json", "console"]

# Development-only secret: refused when THIDUA_ENV=production or a JWKS is configured
# (see Settings.validate); it is public, so a token signed with it proves nothing.
DEV_JWT_SECRET = "thidua-development-secret-change-me-0123456789"  # noqa: S105
# The marker of every value in deploy/production.env.example that must be replaced.
PLACEHOLDER_MARKER = "change-me"
MIN_SECRET_LENGTH = 32
# A secret of one repeated character, or a short pattern repeated, passes a length check; a
# random one has many distinct characters (64 hex digits have 16, base64 far more).
MIN_SECRET_DISTINCT = 10
DEFAULT_MAX_TOKEN_LIFETIME_S = 24 * 3600


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names the variable and what it expects."""


@dataclass(frozen=True)
class DatabaseSettings:
    """Where the data lives: a server named by DATABASE_URL, or an embedded one under data_dir."""

    url: str | None
    data_dir: Path
    # Per-province eventsourcing pools add up across tens of provinces: keep each small.
    province_pool_size: int = 2
    province_pool_overflow: int = 6
    read_pool_size: int = 10
    # The other PostgreSQL servers provinces may live on, name -> URL (THIDUA_DATABASES;
    # services/servers.py): the registry names a province's server, never its address.
    servers: Mapping[str, str] = field(default_factory=dict)

    @property
    def embedded(self) -> bool:
        return self.url is None


@dataclass(frozen=True)
class AuthSettings:
    """How bearer tokens are verified (HS256 secret, or RS256 keys from a JWKS file or URL)."""

    jwt_secret: str | None
    jwks: str | None
    issuer: str | None
    audience: str | None
    # The longest a token may be valid (`exp - iat`): a leaked token is useful for at most this.
    max_lifetime_s: int = DEFAULT_MAX_TOKEN_LIFETIME_S


@dataclass(frozen=True)
class HttpSettings:
    host: str = "127.0.0.1"
    port: int = 8000
    max_body_bytes: int = 2 * 1024 * 1024
    graphiql: bool = True
    # A file of a dossier (POST /attachments): its own limit, the GraphQL bodies keep theirs.
    max_attachment_bytes: int = 20 * 1024 * 1024


# --- Operators: CORS, /metrics, tracing (README, "Operating") -----------------------------------

_ORIGIN = re.compile(r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$|^https?://\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?$")


@dataclass(frozen=True)
class OperatorSettings:
    """Who may call from a browser on another origin, who may read /metrics, and tracing."""

    # Origins allowed to call the API from a browser (CORS); empty: CORS off.
    cors_origins: tuple[str, ...] = ()
    # /metrics is served at all; in production only when a token is set, unless turned on.
    metrics: bool = True
    # When set, /metrics answers only `Authorization: Bearer <token>`.
    metrics_token: str | None = None
    # OpenTelemetry spans (needs the 'otel' extra; the OTEL_* variables configure the exporter).
    tracing: bool = False

    @classmethod
    def from_env(cls, env: Mapping[str, str], mode: str) -> OperatorSettings:
        listed = env.get("THIDUA_CORS_ORIGINS", "").split(",")
        origins = tuple(o.strip().rstrip("/") for o in listed if o.strip())
        for origin in origins:
            if origin != "*" and not _ORIGIN.match(origin):
                raise SettingsError(
                    "THIDUA_CORS_ORIGINS must be a comma-separated list of origins such as "
                    f"https://thidua.example.gov.vn (scheme, host and port, no path); got {origin!r}."
                )
        token = env.get("THIDUA_METRICS_TOKEN") or None
        if token is not None and len(token) < 16:
            raise SettingsError("THIDUA_METRICS_TOKEN must be at least 16 characters long.")
        return cls(
            cors_origins=origins,
            metrics=_bool(env, "THIDUA_METRICS", mode != "production" or token is not None),
            metrics_token=token,
            tracing=_bool(env, "THIDUA_OTEL", False),
        )


# --- end of the operators' block ---------------------------------------------------------------


@dataclass(frozen=True)
class PaperworkSettings:
    """Spreadsheets, documents and certificates (giấy tờ).

    `templates_dir/<province>/` holds a province's replacements for the default document
    templates and its certificate print layout (see services/paperwork/documents/store.py);
    `font_dir` the DejaVu fonts certificates are printed in (Debian's fonts-dejavu-core)."""

    templates_dir: Path = Path("var/templates")
    font_dir: Path = Path("/usr/share/fonts/truetype/dejavu")
    max_upload_bytes: int = 32 * 1024 * 1024


@dataclass(frozen=True)
class Settings:
    """All settings, grouped; build with `Settings.from_env()`."""

    env: Environment
    database: DatabaseSettings
    auth: AuthSettings
    http: HttpSettings = field(default_factory=HttpSettings)
    paperwork: PaperworkSettings = field(default_factory=PaperworkSettings)
    log_format: LogFormat = "auto"
    log_level: str = "INFO"
    run_projections: bool = True
    load_demo: bool = False
    # How often the ledger witness logs each province's moved head (0 turns it off).
    witness_interval_s: int = 3600
    ops: OperatorSettings = field(default_factory=OperatorSettings)
    # The deployment's key for people's national ID numbers, kept only as keyed hashes
    # (services/person_ids.py); unset: people cannot be matched across provinces.
    person_id_key: str | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        mode = _choice(env, "THIDUA_ENV", ("development", "production", "test"), "development")
        data_dir = Path(env.get("THIDUA_DATA_DIR", "var")).expanduser().resolve()
        settings = cls(
            env=mode,  # type: ignore[arg-type]
            database=DatabaseSettings(
                url=env.get("DATABASE_URL") or None,
                data_dir=data_dir,
                province_pool_size=_int(env, "THIDUA_PROVINCE_POOL_SIZE", 2, 1, 50),
                province_pool_overflow=_int(env, "THIDUA_PROVINCE_POOL_OVERFLOW", 6, 0, 100),
                read_pool_size=_int(env, "THIDUA_READ_POOL_SIZE", 10, 1, 200),
                servers=_servers(env),
            ),
            auth=_auth_settings(env, mode),
            http=HttpSettings(
                host=env.get("THIDUA_HOST", "127.0.0.1"),
                port=_int(env, "THIDUA_PORT", 8000, 1, 65535),
                max_body_bytes=_int(env, "THIDUA_MAX_BODY_BYTES", 2 * 1024 * 1024, 1024, 1 << 30),
                graphiql=_bool(env, "THIDUA_GRAPHIQL", mode != "production"),
                max_attachment_bytes=_int(
                    env, "THIDUA_MAX_ATTACHMENT_BYTES", 20 * 1024 * 1024, 1024, 1 << 30
                ),
            ),
            paperwork=PaperworkSettings(
                templates_dir=Path(env.get("THIDUA_TEMPLATES_DIR") or data_dir / "templates").resolve(),
                font_dir=Path(env.get("THIDUA_FONT_DIR") or PaperworkSettings.font_dir),
                max_upload_bytes=_int(env, "THIDUA_MAX_UPLOAD_BYTES", 32 * 1024 * 1024, 1024, 1 << 31),
            ),
            log_format=_choice(env, "THIDUA_LOG_FORMAT", ("auto", "json", "console"), "auto"),  # type: ignore[arg-type]
            log_level=_choice(env, "THIDUA_LOG_LEVEL", ("DEBUG", "INFO", "WARNING", "ERROR"), "INFO"),
            run_projections=_bool(env, "THIDUA_RUN_PROJECTIONS", True),
            load_demo=_bool(env, "THIDUA_LOAD_DEMO", False),
            witness_interval_s=_int(env, "THIDUA_WITNESS_INTERVAL", 3600, 0, 7 * 24 * 3600),
            ops=OperatorSettings.from_env(env, mode),
            person_id_key=_person_id_key(env),
        )
        settings.validate()
        if mode == "production" and PLACEHOLDER_MARKER in env.get("PGPASSWORD", "").lower():
            raise SettingsError(
                "PGPASSWORD still holds the placeholder of deploy/production.env.example; set the real one."
            )
        return settings

    def validate(self) -> None:
        if self.env == "production":
            if self.database.url is None:
                raise SettingsError(
                    "DATABASE_URL is required when THIDUA_ENV=production "
                    "(the embedded PostgreSQL is for development and single machines)."
                )
            if self.auth.jwt_secret is None and self.auth.jwks is None:
                raise SettingsError(
                    "Set THIDUA_JWT_SECRET (HS256) or THIDUA_JWT_JWKS (RS256 keys) in production."
                )
            if PLACEHOLDER_MARKER in self.database.url.lower():
                raise SettingsError(
                    "DATABASE_URL still holds the placeholder password of deploy/production.env.example; "
                    "set the real one."
                )
        _check_secret(self.auth.jwt_secret, self.env, jwks=self.auth.jwks is not None)
        if self.database.url is not None and not self.database.url.startswith(
            ("postgresql://", "postgres://")
        ):
            raise SettingsError(
                "DATABASE_URL must be a postgresql:// URL, e.g. postgresql://user:password@host:5432/thidua"
            )


def _servers(env: Mapping[str, str]) -> dict[str, str]:
    try:
        return parse_servers(env.get("THIDUA_DATABASES", ""))
    except ValueError as exc:
        raise SettingsError(f"THIDUA_DATABASES: {exc}.") from None


def _person_id_key(env: Mapping[str, str]) -> str | None:
    key = env.get("THIDUA_PERSON_ID_KEY") or None
    if key is not None and len(key) < 32:
        raise SettingsError("THIDUA_PERSON_ID_KEY must be at least 32 characters long (a random secret).")
    return key


def _auth_settings(env: Mapping[str, str], mode: str) -> AuthSettings:
    jwks = env.get("THIDUA_JWT_JWKS") or None
    secret = env.get("THIDUA_JWT_SECRET") or None
    if secret is None and jwks is None and mode != "production":
        secret = DEV_JWT_SECRET  # `make run` works with no configuration at all
    return AuthSettings(
        jwt_secret=secret,
        jwks=jwks,
        issuer=env.get("THIDUA_JWT_ISSUER") or None,
        audience=env.get("THIDUA_JWT_AUDIENCE") or None,
        max_lifetime_s=_int(env, "THIDUA_JWT_MAX_LIFETIME", DEFAULT_MAX_TOKEN_LIFETIME_S, 60, 30 * 24 * 3600),
    )


def _check_secret(secret: str | None, mode: str, *, jwks: bool) -> None:
    """Refuse an HS256 secret anybody could know: the development one beside a JWKS (whatever
    THIDUA_ENV), and in production also the example's placeholder or a short or repetitive one."""
    if secret is None:
        return
    if len(secret) < MIN_SECRET_LENGTH:
        raise SettingsError(f"THIDUA_JWT_SECRET must be at least {MIN_SECRET_LENGTH} characters long.")
    if jwks and secret == DEV_JWT_SECRET:
        raise SettingsError(
            "THIDUA_JWT_SECRET is the public development secret while THIDUA_JWT_JWKS is set: "
            "anybody could sign tokens with it. Unset THIDUA_JWT_SECRET or set a random one."
        )
    if mode != "production":
        return
    if secret == DEV_JWT_SECRET:
        raise SettingsError(
            "THIDUA_JWT_SECRET is the public development secret; production needs a random one "
            "(e.g. `openssl rand -base64 48`)."
        )
    if PLACEHOLDER_MARKER in secret.lower():
        raise SettingsError(
            "THIDUA_JWT_SECRET is still the placeholder of deploy/production.env.example; "
            "set a random one (e.g. `openssl rand -base64 48`)."
        )
    if len(set(secret)) < MIN_SECRET_DISTINCT:
        raise SettingsError(
            f"THIDUA_JWT_SECRET has fewer than {MIN_SECRET_DISTINCT} distinct characters; "
            "production needs a random one (e.g. `openssl rand -base64 48`)."
        )


def _int(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}.") from None
    if not low <= value <= high:
        raise SettingsError(f"{name} must be between {low} and {high}, got {value}.")
    return value


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise SettingsError(f"{name} must be true or false, got {raw!r}.")


def _choice(env: Mapping[str, str], name: str, allowed: tuple[str, ...], default: str) -> str:
    raw = env.get(name) or default
    if raw not in allowed:
        raise SettingsError(f"{name} must be one of {', '.join(allowed)}; got {raw!r}.")
    return raw
