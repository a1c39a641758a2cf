"""Fixtures: the real Application over the offline Bot API, a fixed clock, and RMs to talk as."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from bot.application import build_application, running
from bot.config import AccessSettings, Settings, StorageSettings
from bot.offline_api import OfflineBotAPI, OfflineUser

#: Wednesday 25 Nov 2026, 17:30 in Shanghai: the "now" of the shared examples.
NOW = datetime.fromisoformat("2026-11-25T17:30:00+08:00")
RM_ZH, RM_EN, STRANGER, ADMIN = 100, 200, 300, 900
SHARED = Path(__file__).resolve().parents[2] / "shared"


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(storage=StorageSettings(database=str(tmp_path / "bot.sqlite3")),
                    access=AccessSettings(allowed_user_ids=[RM_ZH, RM_EN], admin_user_ids=[ADMIN]))


@pytest.fixture
async def bot(settings: Settings, clock: Clock):
    """(application, api): the real Application, started, with its database open."""
    api = OfflineBotAPI()
    application = build_application(settings, request=api, clock=clock)
    async with running(application):
        yield application, api


@pytest.fixture
def rm(bot) -> OfflineUser:
    application, api = bot
    return OfflineUser(application, api, RM_ZH, first_name="刘", language_code="zh-hans")


@pytest.fixture
def rm_en(bot) -> OfflineUser:
    application, api = bot
    return OfflineUser(application, api, RM_EN, first_name="Amy", language_code="en")


@pytest.fixture
def stranger(bot) -> OfflineUser:
    application, api = bot
    return OfflineUser(application, api, STRANGER, first_name="Eve", language_code="en")


@pytest.fixture
def repo(bot):
    return bot[0].bot_data.repo
