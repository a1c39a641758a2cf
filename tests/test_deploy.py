"""The deployment files in deploy/: a systemd unit that verifies, a Dockerfile and a reverse proxy
that keep client data private and the webhook small."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"


def directives(text: str) -> dict[str, str]:
    found = {}
    for line in text.splitlines():
        if "=" in line and not line.lstrip().startswith(("#", ";", "[")):
            key, _, value = line.partition("=")
            found[key.strip()] = value.strip()
    return found


def test_the_unit_keeps_files_private_and_stops_gracefully():
    unit = directives((DEPLOY / "rm-assistant.service").read_text())
    assert unit["UMask"] == "0077"
    assert unit["KillSignal"] == "SIGTERM" and int(unit["TimeoutStopSec"]) >= 10
    assert int(unit["LimitNOFILE"]) >= 4096
    assert unit["User"] != "root"
    assert "rm-assistant run" in unit["ExecStart"]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze not installed")
def test_systemd_analyze_verifies_the_unit(tmp_path):
    # verify checks that ExecStart exists: point it at this interpreter, keep every other line
    text = (DEPLOY / "rm-assistant.service").read_text()
    unit = tmp_path / "rm-assistant.service"
    unit.write_text(text.replace("/opt/rm-assistant/bin/rm-assistant run", f"{sys.executable} -m bot run"))
    done = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=60)
    problems = [line for line in (done.stdout + done.stderr).splitlines()
                if "rm-assistant.service" in line]
    assert done.returncode == 0 and not problems, done.stdout + done.stderr


def test_the_container_runs_as_a_user_with_data_in_a_volume():
    lines = [line.strip() for line in (DEPLOY / "Dockerfile").read_text().splitlines()]
    assert any(line.startswith("FROM python:") and line.endswith("-slim") for line in lines)
    users = [line for line in lines if line.startswith("USER ")]
    assert users and users[-1] != "USER root"
    assert 'VOLUME ["/data"]' in lines
    assert any("tzdata" in line for line in lines)
    assert any("-c requirements.lock" in line for line in lines), "the image installs what CI tested"


def test_the_proxy_caps_bodies_and_times_out_idle_clients():
    text = (DEPLOY / "nginx.conf").read_text()
    assert "client_max_body_size 1m;" in text
    assert "client_body_timeout" in text and "keepalive_timeout" in text
    assert "proxy_pass http://127.0.0.1:" in text
