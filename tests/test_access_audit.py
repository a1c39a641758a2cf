"""Access is configuration: who gained or lost it between two starts is in the audit log."""

from __future__ import annotations

import pytest

from bot.access_changes import access_changes, access_snapshot
from bot.application import build_application, running
from bot.config import AccessSettings, Settings, StorageSettings
from bot.offline_api import OfflineBotAPI


def snapshot(allowed=(), admins=(), supervisors=None):
    return access_snapshot(AccessSettings(allowed_user_ids=list(allowed), admin_user_ids=list(admins),
                                          supervisors=supervisors or {}))


CHANGES = [
    # (before, after, audit subjects, why)
    (None, snapshot([100, 200], [900], {900: [100]}),
     ["baseline allowed 100", "baseline allowed 200", "baseline admin 900", "baseline supervisor 900: rms 100"],
     "a new or upgraded database: who has access, with no claim that it changed just now"),
    (snapshot([100, 200]), snapshot([200, 100]), [], "order and repeats in the config do not matter"),
    (snapshot([100, 200]), snapshot([100, 300]), ["allowed +300", "allowed -200"], "one RM replaced by another"),
    (snapshot([100], [900]), snapshot([100]), ["admin -900"], "an admin removed"),
    (snapshot([100]), snapshot([100], supervisors={900: [100]}),
     ["supervisor +900", "supervisor 900: rm +100"], "a supervisor added with their team"),
    (snapshot([100], supervisors={900: [100, 200]}), snapshot([100], supervisors={900: [200, 300]}),
     ["supervisor 900: rm +300", "supervisor 900: rm -100"], "a team changed"),
    (snapshot([100], supervisors={900: [100]}), snapshot([100]),
     ["supervisor -900", "supervisor 900: rm -100"], "a supervisor removed"),
]


def test_change_table_has_no_duplicate_rows():
    reasons = [reason for *_, reason in CHANGES]
    assert len(reasons) == len(set(reasons))


@pytest.mark.parametrize("before, after, expected, reason", CHANGES, ids=[row[-1] for row in CHANGES])
def test_access_changes(before, after, expected, reason):
    assert access_changes(before, after) == expected


async def start_with(tmp_path, clock, **access) -> list[tuple[int, str, str]]:
    """Start (and stop) the bot with this access config; the access entries of the audit log."""
    settings = Settings(storage=StorageSettings(database=str(tmp_path / "bot.sqlite3")),
                        access=AccessSettings(**access))
    application = build_application(settings, request=OfflineBotAPI(), clock=clock, schedule=False,
                                    audit_access=True)
    async with running(application):
        entries = await application.bot_data.repo.audit.recent()
    return sorted((e["actor_id"], e["action"], e["subject"]) for e in entries if e["action"] == "access")


async def test_each_start_audits_what_changed_in_the_access_config_since_the_last(tmp_path, clock):
    first = await start_with(tmp_path, clock, allowed_user_ids=[100, 200], admin_user_ids=[900])
    assert first == [(0, "access", "baseline admin 900"), (0, "access", "baseline allowed 100"),
                     (0, "access", "baseline allowed 200")]
    second = await start_with(tmp_path, clock, allowed_user_ids=[100], admin_user_ids=[900])
    assert set(second) - set(first) == {(0, "access", "allowed -200")}
    third = await start_with(tmp_path, clock, allowed_user_ids=[100], admin_user_ids=[900])
    assert third == second, "an unchanged config adds nothing"


async def test_the_console_and_tests_do_not_audit_their_own_access_lists(tmp_path, clock):
    settings = Settings(storage=StorageSettings(database=str(tmp_path / "bot.sqlite3")),
                        access=AccessSettings(allowed_user_ids=[100]))
    application = build_application(settings, request=OfflineBotAPI(), clock=clock, schedule=False)
    async with running(application):
        assert [e for e in await application.bot_data.repo.audit.recent() if e["action"] == "access"] == []
