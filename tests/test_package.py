"""The package as an operations team installs it: a wheel with its data, runnable from anywhere,
and a start-up that does not pay for charts or spreadsheets it may never draw."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(ROOT)],
                          capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        pytest.fail(done.stderr[-2000:])
    return next(out.glob("rm_assistant-*.whl"))


def test_the_wheel_carries_every_data_file_and_the_command(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {str(p.relative_to(ROOT)) for pattern in ("bot/catalog/**/*.toml", "bot/strings/*.toml", "bot/fonts/*",
                                                        "storage/migrations/*.sql") for p in ROOT.glob(pattern)}
    assert shipped and shipped <= names, sorted(shipped - names)
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "rm-assistant = bot.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_the_installed_package_parses_and_answers_from_another_directory(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    env = {**os.environ, "PYTHONPATH": str(site)}
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    def run(*args: str, stdin: str) -> str:
        done = subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True,
                              cwd=elsewhere, env=env, timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout

    where = subprocess.run([sys.executable, "-c", "import bot; print(bot.__file__)"], capture_output=True,
                           text=True, cwd=elsewhere, env=env).stdout
    assert where.startswith(str(site)), "the test must run the unpacked wheel, not the checkout"
    note = json.loads(run("parse", "--now", "2026-11-25T17:30:00+08:00", "--batch", stdin="visited Liu, needs LC\n"))
    assert note["needs"] == ["LC"]
    answer = json.loads(run("faq", "--batch", stdin="可以代客户签名吗\n"))
    assert answer["answer_id"] == "sign-for-client"


def test_start_up_does_not_import_charts_or_spreadsheets():
    probe = "import sys, bot.cli, bot.application; print([m for m in ('matplotlib', 'openpyxl') if m in sys.modules])"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.stdout.strip() == "[]", done.stdout + done.stderr
