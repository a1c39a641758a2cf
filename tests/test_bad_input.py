"""Bad input at every entry point: never a traceback, never silence, never a lost note.

Hypothesis drives notes, commands with arguments, edits, callback data (forged and stale),
FAQ questions, imported files (oversized and zip bombs too) and updates Telegram delivers again;
SQL- and HTML-looking text must come back verbatim and safe.
"""

from __future__ import annotations

import asyncio
import html
import io
import tempfile
import zipfile
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings, strategies as st
from telegram.ext import CommandHandler

from bot.application import build_application, running
from bot.callback_data import SHAPES
from bot.config import AccessSettings, Settings, StorageSettings
from bot.faq import looks_like_question
from bot.loose_input import stray_kind
from bot.imports import MAX_FILE_BYTES
from bot.parsing import MAX_NOTE_LENGTH, parse_note
from bot.offline_api import OfflineBotAPI, OfflineUser
from tests.conftest import NOW, RM_EN

SHANGHAI = ZoneInfo("Asia/Shanghai")  # the RM's timezone (the default)

NASTY = st.sampled_from(["'; DROP TABLE contacts; --", "<b>bold</b> & <i>", "</code><script>", "刘总<>&\"'",
                         "Robert'); DELETE FROM clients;--", "\u202e\u0000\ufeff", "🏦" * 50, "a" * 5000, " ", "/"])
TEXT = st.one_of(st.text(min_size=1, max_size=300), NASTY)
COMMAND_NAMES = ["start", "help", "note", "find", "undo", "due", "today", "week", "month", "client", "clients", "export",
                 "chart", "team", "forget", "mydata", "status", "settings", "cancel", "faq", "faq_gaps", "faq_reload",
                 "notify", "review"]
COMMANDS = st.sampled_from([f"/{name}" for name in COMMAND_NAMES] + ["/nonsense"])
#: Numbers as forged input carries them: superscripts and other digits int() refuses, beyond SQLite's
#: 64-bit range, negative, padded.
ODD_NUMBER = st.one_of(st.integers(-5, 10**12).map(str), st.integers(2**63 - 2, 10**25).map(str),
                       st.sampled_from(["²", "٣", "①", "0", "-1", "1e3", " 1", "99991231", "00000000"]),
                       st.text(max_size=8))
FIELD = st.one_of(ODD_NUMBER, st.sampled_from(["f", "c", "b", "m", "A", "*", "p1", "p99999999999", "20261125",
                                               "lantern", "client", "workdays", "zh"]))
#: Every prefix and action the bot uses, with the right number of fields, each forged.
SHAPED = st.sampled_from([(prefix, action, len(readers)) for prefix, actions in SHAPES.items()
                          for action, readers in actions.items()]).flatmap(
    lambda shape: st.lists(FIELD, min_size=shape[2], max_size=shape[2]).map(lambda fields: ":".join(shape[:2] + tuple(fields))))
CALLBACK = st.one_of(st.text(max_size=64), SHAPED,
                     st.builds(lambda p, a, b: f"{p}:{a}:{b}", st.sampled_from(list("ndcplsfq")), st.text(max_size=8),
                               ODD_NUMBER))
#: Arguments with odd numbers and dates out of range (/week 9999-12-31, /settings cadence A ²).
ARGUMENT = st.one_of(st.sampled_from(["9999-12-31", "0001-01-01", "99999-01-01", "9999-12", "cadence A ²",
                                      "cadence B 99999999999999999999", "cadence C ٣٠", "digest 99:99",
                                      "digest ²:00", "timezone ../../etc/passwd", "timezone " + "A" * 300]),
                     st.builds(lambda word, number: f"{word} {number}",
                               st.sampled_from(["cadence A", "digest", "2026-11", "csv"]), ODD_NUMBER))


def zip_bomb() -> bytes:
    """A small .xlsx that unpacks to more than the import limit."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (MAX_FILE_BYTES + 1))
    return buffer.getvalue()


FILES = st.one_of(st.tuples(st.sampled_from(["a.csv", "b.xlsx", "c.txt"]), st.binary(max_size=2000)),
                  st.sampled_from([("big.csv", b"name\n" + b"x" * MAX_FILE_BYTES), ("bomb.xlsx", zip_bomb())]))
ACTION = st.one_of(st.tuples(st.just("note"), TEXT),
                   st.tuples(st.just("command"), st.tuples(COMMANDS, st.one_of(TEXT, ARGUMENT))),
                   st.tuples(st.just("press"), CALLBACK), st.tuples(st.just("edit"), TEXT),
                   st.tuples(st.just("file"), FILES), st.tuples(st.just("again"), st.none()))


async def play(actions) -> None:
    with tempfile.TemporaryDirectory() as folder:
        settings_ = Settings(storage=StorageSettings(database=f"{folder}/bot.sqlite3"),
                             access=AccessSettings(allowed_user_ids=[RM_EN]))
        api = OfflineBotAPI()
        application = build_application(settings_, request=api, clock=lambda: NOW, schedule=False)
        async with running(application):
            user = OfflineUser(application, api, RM_EN, first_name="Amy", language_code="en")
            for kind, value in actions:
                if kind == "note":
                    replies = await user.send(value)
                elif kind == "command":
                    replies = await user.send(f"{value[0]} {value[1]}")
                elif kind == "press":
                    # Telegram sends a callback only from a message the bot sent: the latest one here
                    shown = [sent.message_id for sent in api.sent if sent.chat_id == RM_EN and sent.message_id]
                    if not shown:
                        shown = [(await user.send("/help"))[-1].message_id]
                    replies = await user.press_data(value or "x", shown[-1])
                elif kind == "edit":
                    replies = await user.edit(1, value)
                elif kind == "again":  # Telegram delivers the last update again: handled once, not twice
                    if user.delivered:
                        await user.deliver_again(user.delivered[-1])
                    assert application.bot_data.errors == [], "handler error on an update delivered again"
                    continue
                else:
                    replies = await user.send_document(*value)
                assert replies, f"silence after {kind} {value!r}"
                assert application.bot_data.errors == [], f"handler error after {kind} {value!r}"
            stored = await application.bot_data.repo.contacts.recent(RM_EN, 10_000)
            texts = {c.raw_text for c in stored}
            undone_or_edited = any(kind in ("edit", "press") or (kind == "command" and value[0] == "/undo")
                                   for kind, value in actions)
            for kind, value in actions:  # every note typed (and not undone, edited or a question) is kept verbatim
                if (kind == "note" and value.strip() and not value.startswith("/") and not undone_or_edited
                        and not looks_like_question(value)):
                    note = value[:MAX_NOTE_LENGTH]
                    stray = stray_kind(note, parse_note(note, NOW, SHANGHAI), NOW.date())
                    if stray is None:
                        assert note in texts, f"lost note {value!r}"
                    else:  # stray input (a bare number, a date word, a name alone) is not a note
                        assert note not in texts, f"stray input {value!r} stored as a note"


def test_every_registered_command_is_played(bot):
    application, _ = bot
    registered = {command for group in application.handlers.values() for handler in group
                  if isinstance(handler, CommandHandler) for command in handler.commands}
    assert registered == set(COMMAND_NAMES)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ACTION, min_size=1, max_size=8))
def test_any_sequence_of_bad_input_gets_replies_and_keeps_notes(actions):
    asyncio.run(play(actions))


async def test_sql_and_html_looking_notes_are_stored_and_echoed_verbatim_and_safely(rm_en, repo):
    for text in ("visited Bobby'); DROP TABLE clients;-- about <b>LC</b> & fees", "called <script>x</script>"):
        reply = (await rm_en.send(text))[-1]
        assert html.escape("<b>LC</b>", quote=False) in reply.text or "script" not in reply.text
    stored = [c.raw_text for c in await repo.contacts.recent(RM_EN, 5)]
    assert "visited Bobby'); DROP TABLE clients;-- about <b>LC</b> & fees" in stored
    assert "called <script>x</script>" in stored
    assert len(await repo.clients.list(RM_EN)) >= 1


async def test_a_timezone_name_too_long_to_be_a_file_is_refused_with_a_reply(rm_en):
    """Hypothesis found it: ZoneInfo raises OSError (file name too long), which was not caught."""
    replies = await rm_en.send("/settings timezone " + "A" * 300)
    assert replies and all("error" not in (r.text or "").lower() or "timezone" in (r.text or "").lower()
                           for r in replies)
