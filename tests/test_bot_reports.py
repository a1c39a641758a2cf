"""Reports, client cards, exports, charts and the team view, end to end through the offline Bot API."""

from __future__ import annotations

import io
import json
import zipfile
from types import SimpleNamespace

import openpyxl
import pytest

from bot.config import AccessSettings, Settings, StorageSettings
from tests.conftest import ADMIN, RM_EN, RM_ZH
from tests.test_cli import bot as run_cli

SUPERVISOR = 777


@pytest.fixture
def settings(tmp_path):
    return Settings(storage=StorageSettings(database=str(tmp_path / "bot.sqlite3")),
                    access=AccessSettings(allowed_user_ids=[RM_ZH, RM_EN], admin_user_ids=[ADMIN],
                                          supervisors={SUPERVISOR: [RM_ZH, RM_EN]}))


@pytest.fixture
def supervisor(bot):
    from bot.offline_api import OfflineUser
    application, api = bot
    return OfflineUser(application, api, SUPERVISOR, first_name="Boss", language_code="en")


async def log_week(rm_en):
    for text in ("visited Liu, needs LC", "called Wang, wants a deposit, follow up tomorrow",
                 "emailed Zhang yesterday", "message to Liu about the LC"):
        await rm_en.send(text)


async def test_today_week_and_month(rm_en):
    await log_week(rm_en)
    today = (await rm_en.send("/today"))[-1].text
    assert "3 contacts logged" in today and "Still due" in today
    week = (await rm_en.send("/week"))[-1].text
    assert "Contacts: <b>4</b>" in week and "M 1" in week and "T 1" in week and "E 1" in week and "W 1" in week
    assert "Clients reached: 3 · new clients (first contacted this week): 3" in week and "Letter of credit 2" in week
    month = (await rm_en.send("/month 2026-12-01"))[-1].text
    assert "Contacts: <b>0</b>" in month
    assert "/week YYYY-MM-DD" in (await rm_en.send("/week soon"))[-1].text


async def test_client_card_with_buttons_tier_edit_and_timeline(rm_en, repo):
    await log_week(rm_en)
    card = (await rm_en.send("/client Liu"))[-1]
    assert "<b>Liu</b>" in card.text and "Last contacts" in card.text and "Open needs" in card.text
    await rm_en.press("🏷 Tier", on=card)
    await rm_en.press("A")
    assert (await repo.clients.list(RM_EN))[0].tier in "ABC"
    assert any(c.name == "Liu" and c.tier == "A" for c in await repo.clients.list(RM_EN))
    await rm_en.press("🛠 Edit fields", on=card)
    await rm_en.press("birthday")
    assert "not a valid birthday" in (await rm_en.send("someday"))[-1].text
    assert "Saved birthday" in (await rm_en.send("1975-11-26"))[-1].text
    assert "26 Nov 1975" in (await rm_en.send("/client Liu"))[-1].text
    timeline = (await rm_en.press("🕘 Timeline", on=card))[-1]
    assert "timeline (page 1/1)" in timeline.text
    assert "no client called" in (await rm_en.send("/client Nobody"))[-1].text


async def test_clients_are_listed_by_tier_and_paged(rm_en, repo):
    await rm_en.send("/start")
    rows = [SimpleNamespace(name=f"Client {n:02d}", phone=None, company=None, tier="B" if n % 2 else "A",
                            birthday=None, lunar_birthday=None, last_contact=None, cadence_days=None, notes=None)
            for n in range(40)]
    await repo.clients.import_rows(RM_EN, rows, __import__("tests.conftest").conftest.NOW)
    listing = (await rm_en.send("/clients A"))[-1]
    assert "· A · 20 (page 1/2)" in listing.text and "Client 01" not in listing.text
    page_two = (await rm_en.press("Next ›", on=listing))[-1]
    assert page_two.method == "editMessageText" and "page 2/2" in page_two.text
    assert "Use /clients" in (await rm_en.send("/clients Z"))[-1].text
    empty_tier = (await rm_en.send("/clients C"))[-1].text
    assert "No tier C clients" in empty_tier and "No clients yet" not in empty_tier


async def test_a_client_contacted_today_reads_today_not_zero_days(rm, rm_en):
    await rm_en.send("visited Liu, needs LC")
    assert "contacted today" in (await rm_en.send("/clients"))[-1].text
    assert "Last contact: today" in (await rm_en.send("/client Liu"))[-1].text
    await rm.send("拜访刘总")
    assert "今天联系过" in (await rm.send("/clients"))[-1].text
    card = (await rm.send("/client 刘总"))[-1].text
    assert "上次联系：今天" in card and "0 天" not in card


async def test_export_xlsx_and_csv_hold_only_the_asking_rms_data(rm, rm_en, bot):
    application, api = bot
    await log_week(rm_en)
    await rm.send("拜访刘总,需要信用证")
    await rm_en.send("/export")
    document = api.sent[-1]
    assert document.method == "sendDocument"
    content = document.params["_files"]["document"] if "_files" in document.params else None
    assert content is not None
    book = openpyxl.load_workbook(io.BytesIO(content))
    names = [row[0].value for row in book.worksheets[0].iter_rows(min_row=2)]
    assert sorted(names) == ["Liu", "Wang", "Zhang"] and "刘总" not in names
    assert len(book.sheetnames) == 7  # … Reviews and Coverage
    await rm_en.send("/export csv")
    archive = zipfile.ZipFile(io.BytesIO(api.sent[-1].params["_files"]["document"]))
    assert "clients.csv" in archive.namelist()
    assert "刘总" not in archive.read("clients.csv").decode("utf-8-sig")


async def test_charts_are_pngs(rm_en, bot):
    application, api = bot
    await log_week(rm_en)
    await rm_en.send("/chart")
    assert api.sent[-1].method == "sendPhoto"
    assert api.sent[-1].params["_files"]["photo"][:8] == b"\x89PNG\r\n\x1a\n"
    liu = next(c for c in await application.bot_data.repo.clients.list(RM_EN) if c.name == "Liu")
    await application.bot_data.repo.holdings.upsert(RM_EN, [(liu.id, "DEPOSIT", "3y CD", 1_000_000.0, None, None)],
                                                    __import__("tests.conftest").conftest.NOW)
    await rm_en.send("/chart Liu")
    assert api.sent[-1].method == "sendPhoto"  # (with no holdings it says so in text: test_bot_what_rm_sees)


async def test_team_summary_for_supervisors_only_without_note_text(rm, rm_en, supervisor, bot):
    application, api = bot
    await log_week(rm_en)
    await rm.send("拜访刘总,需要信用证")
    text = (await supervisor.send("/team"))[-1].text
    assert "Amy" in text and "刘" in text and "3 contacts" in text
    assert "needs LC" not in text and "信用证" not in text
    assert "for supervisors" in (await rm_en.send("/team"))[-1].text
    pusher = application.bot_data.pusher
    day = __import__("datetime").date(2026, 11, 25)
    assert await pusher.push_team(application.bot, SUPERVISOR, day) == "sent"
    assert await pusher.push_team(application.bot, SUPERVISOR, day) == "already"


async def test_a_team_summary_missed_while_the_bot_was_down_goes_out_once_from_the_catch_up(settings, clock):
    """The catch-up after a start (or after a SIGTERM turned the summary away) sends today's
    summary once its time has passed, and never twice."""
    import asyncio
    from datetime import datetime

    from bot.application import build_application, running
    from bot.offline_api import OfflineBotAPI

    def summaries(api):
        return [s for s in api.sent if s.method == "sendMessage" and s.chat_id == SUPERVISOR]

    clock.now = datetime.fromisoformat("2090-11-29T17:59:00+08:00")  # ahead of APScheduler's wall clock
    for now, expected in (("17:59", 0), ("18:05", 1), ("18:10", 0)):
        clock.now = clock.now.replace(hour=int(now[:2]), minute=int(now[3:]))
        api = OfflineBotAPI()
        async with running(build_application(settings, request=api, clock=clock)):
            for _ in range(50):
                if summaries(api):
                    break
                await asyncio.sleep(0.02)
            await asyncio.sleep(0.1)
        assert len(summaries(api)) == expected, f"at {now}"


def test_report_cli_prints_the_week_figures(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text(f'[storage]\ndatabase = "{tmp_path / "db.sqlite3"}"\n', encoding="utf-8")
    clients = tmp_path / "clients.csv"
    clients.write_text("name,tier,last_contact\nLiu,A,2026-11-24\n", encoding="utf-8")
    assert run_cli("import", "clients", "--user", "5", str(clients), "--config", str(config)).returncode == 0
    result = run_cli("report", "--user", "5", "--period", "week", "--date", "2026-11-25", "--json", "--config", str(config))
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert (figures["start"], figures["end"], figures["contacts"]) == ("2026-11-23", "2026-11-29", 0)
    assert figures["coverage"]["A"] == {"covered": 1, "total": 1, "share": 1.0}
