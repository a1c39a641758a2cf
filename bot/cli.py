"""python -m bot: run | console | parse | faq | digest | push-digests | report | import | backup | restore."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import re
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.config import ConfigError, Settings, load_settings


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", metavar="PATH", default=argparse.SUPPRESS,
                        help="TOML config (default: ./config.toml when present)")
    parser = argparse.ArgumentParser(prog="python -m bot", parents=[common],
                                     description="RM Assistant (客户经理助手)")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", parents=[common], help="run the bot (polling); offline console without a token")
    commands.add_parser("console", parents=[common], help="the offline console")
    parse = commands.add_parser("parse", parents=[common], help="print how a note is understood, as JSON")
    parse.add_argument("--now", help="ISO 8601 time to parse against (default: now)")
    parse.add_argument("--tz", default="Asia/Shanghai", help="the RM's timezone (default Asia/Shanghai)")
    parse.add_argument("--batch", action="store_true", help="one note per stdin line, one JSON per line")
    parse.add_argument("--currency", default="CNY", type=_currency_code, metavar="CODE",
                       help="ISO 4217 currency of an amount written without one (default CNY)")
    parse.add_argument("--clients", metavar="FILE",
                       help="the RM's clients, one per line (aliases after tabs): adds client_match")
    parse.add_argument("text", nargs="*", help="the note")
    faq = commands.add_parser("faq", parents=[common], help="rank FAQ entries for a question, as JSON")
    faq.add_argument("--batch", action="store_true", help="one question per stdin line, one JSON per line")
    faq.add_argument("question", nargs="*", help="the question")
    digest = commands.add_parser("digest", parents=[common], help="print an RM's digest for a day (sends nothing)")
    digest.add_argument("--user", type=int, required=True, metavar="TG_ID", help="the RM's Telegram user id")
    digest.add_argument("--date", type=_day, metavar="YYYY-MM-DD", help="the day (default: today in the RM's timezone)")
    digest.add_argument("--json", action="store_true", help="print JSON (default: the message text)")
    push = commands.add_parser("push-digests", parents=[common],
                               help="send that day's digests to every active RM now (idempotent)")
    push.add_argument("--date", type=_day, metavar="YYYY-MM-DD", help="the day (default: each RM's today)")
    report = commands.add_parser("report", parents=[common], help="print the figures behind /week (or day, month)")
    report.add_argument("--user", type=int, required=True, metavar="TG_ID", help="the RM's Telegram user id")
    report.add_argument("--period", choices=("day", "week", "month"), default="week")
    report.add_argument("--date", type=_day, metavar="YYYY-MM-DD", help="a day in the period (default: today)")
    report.add_argument("--json", action="store_true", help="print JSON (default: the message text)")
    imports = commands.add_parser("import", parents=[common], help="import clients or holdings from CSV/XLSX")
    imports.add_argument("kind", choices=("clients", "holdings"))
    imports.add_argument("--user", type=int, required=True, metavar="TG_ID", help="the RM's Telegram user id")
    imports.add_argument("file", help="a .csv or .xlsx file")
    backup = commands.add_parser("backup", parents=[common],
                                 help="back the database up now (safe while the bot runs), as JSON")
    backup.add_argument("path", nargs="?", metavar="PATH",
                        help="a file, or a folder (default: [backup] directory, old backups rotated)")
    restore = commands.add_parser("restore", parents=[common],
                                  help="replace the database with a backup (the bot must be stopped)")
    restore.add_argument("path", metavar="PATH", help="the backup file")
    restore.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    return parser


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2026-11-25") from None


def main(argv: list[str] | None = None) -> int:
    from storage.checks import StorageCheckError

    try:
        return _main(argv)
    except StorageCheckError as error:  # a full disk, a read-only or too new database: one line, no traceback
        print(f"storage error: {error}", file=sys.stderr)
        return 1


def _main(argv: list[str] | None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "parse":
            return _parse(args)
        if args.command == "faq":
            return _faq(args)
        settings = load_settings(getattr(args, "config", None))
    except ConfigError as error:
        print(f"config error: {error}", file=sys.stderr)
        return 2
    from bot.log_safety import protect_logs

    protect_logs(settings.telegram.token, settings.telegram.webhook_secret)  # never in any log line
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if args.command in ("console", "run"):  # the bot holds its database's run lock (restore checks it)
        return _holding_run_lock(settings, _console if args.command == "console" else _run)
    if args.command == "backup":
        return asyncio.run(_backup(settings, args.path))
    if args.command == "restore":
        return asyncio.run(_restore(settings, args.path, args.yes))
    if args.command == "digest":
        return asyncio.run(_digest(settings, args.user, args.date, args.json))
    if args.command == "push-digests":
        return asyncio.run(push_digests(settings, args.date))
    if args.command == "report":
        return asyncio.run(_report(settings, args.user, args.period, args.date, args.json))
    if args.command == "import":
        return asyncio.run(_import(settings, args.kind, args.user, args.file))
    return 2


def _holding_run_lock(settings: Settings, command) -> int:
    """Run COMMAND holding the database's run lock; a second bot on the same database refuses to start."""
    from contextlib import ExitStack

    from storage.run_lock import AlreadyRunning, running_lock

    with ExitStack() as stack:
        try:
            stack.enter_context(running_lock(settings.storage.database))
        except AlreadyRunning as error:
            print(f"{error}: not starting a second one", file=sys.stderr)
            return 1
        except OSError as error:   # /proc/x/y.db, /dev/null/x.db: its folder cannot be made or written
            print(f"storage error: [storage] database {settings.storage.database}: its folder cannot be created "
                  f"or written ({error.strerror or error})", file=sys.stderr)
            return 1
        return command(settings)


async def _backup(settings: Settings, path: str | None) -> int:
    from pathlib import Path

    from storage import Repository
    from storage.backup import BackupError, backup_database, rotate_backups

    target = path or Path(settings.backup.directory)  # a str keeps its trailing slash ("a folder")
    if path is None:
        from storage.private_files import private_folder

        private_folder(target)
    try:
        result = await asyncio.to_thread(backup_database, settings.storage.database, target)
    except BackupError as error:
        print(f"backup failed: {error}", file=sys.stderr)
        return 1
    if path is None and result.integrity == "ok":
        rotate_backups(target, settings.backup.keep)
    repo = await Repository.open(settings.storage.database, settings.backup.directory)
    try:
        await repo.audit.record(0, "backup", result.path.name, datetime.now(UTC))
    finally:
        await repo.close()
    print(json.dumps(result.to_json(), ensure_ascii=False))
    return 0 if result.integrity == "ok" else 1


async def _restore(settings: Settings, path: str, yes: bool) -> int:
    from pathlib import Path

    from storage import Repository
    from storage.backup import RestoreError, check_backup, restore_database
    from storage.run_lock import is_running

    database = Path(settings.storage.database)
    try:
        if is_running(database):
            raise RestoreError(f"{database} is in use by a running bot; stop it first")
        if not yes:
            info = check_backup(path)
            current = f"{database.stat().st_size} bytes" if database.exists() else "absent"
            print(f"Replace {database} ({current}) with {path} (schema version {info.schema_version}, "
                  f"{info.bytes} bytes)? [y/N] ", end="", file=sys.stderr, flush=True)
            if sys.stdin.readline().strip().lower() not in ("y", "yes"):
                print("restore cancelled: nothing changed", file=sys.stderr)
                return 1
        info = restore_database(path, database)
    except RestoreError as error:
        print(f"restore refused: {' '.join(str(error).split())}", file=sys.stderr)
        return 1
    # an older backup is migrated to the current schema now (backed up first, into the backup folder)
    repo = await Repository.open(database, settings.backup.directory)
    try:
        version = await repo.db.fetch_value("PRAGMA user_version")
        await repo.audit.record(0, "restore", Path(path).name, datetime.now(UTC))
    finally:
        await repo.close()
    migrated = f", migrated to {version}" if version != info.schema_version else ""
    print(f"restored {path} ({info.bytes} bytes, schema version {info.schema_version}{migrated}) into {database}")
    return 0


def _console(settings: Settings) -> int:
    from bot.console import run_console

    logging.getLogger().setLevel(logging.WARNING)
    try:
        asyncio.run(run_console(settings))
    except KeyboardInterrupt:  # Ctrl-C ends the console at once, without a traceback
        print(file=sys.stderr)
        return 130
    return 0


def _run(settings: Settings) -> int:
    from bot.strings import t

    if not settings.telegram.token:
        print(t(settings.defaults.language, "console.no_token"), file=sys.stderr)
        return _console(settings)
    from telegram.error import InvalidToken, NetworkError

    from bot.application import build_application
    from bot.log_safety import redact
    from bot.startup import TOKEN_REFUSED, StartupFailed, reach_bot_api

    def say(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    try:  # wait for the Bot API (a service may start before the network is up)
        asyncio.run(reach_bot_api(settings.telegram, say))
    except StartupFailed as error:
        say(str(error))
        return 1
    application = build_application(settings, audit_access=True)
    telegram = settings.telegram
    try:
        if telegram.mode == "webhook":  # PTB checks X-Telegram-Bot-Api-Secret-Token on every request
            from urllib.parse import urlparse

            application.run_webhook(listen=telegram.webhook_listen, port=telegram.webhook_port,
                                    url_path=urlparse(telegram.webhook_url).path.lstrip("/"),
                                    webhook_url=telegram.webhook_url, secret_token=telegram.webhook_secret)
        else:
            application.run_polling(timeout=telegram.poll_timeout)
            if getattr(application.updater, "token_refused", False):  # revoked while running
                say(TOKEN_REFUSED)
                return 1
    except InvalidToken:  # PTB's message would hold the token
        say(TOKEN_REFUSED)
        return 1
    except NetworkError as error:  # the Bot API went away again between getMe and the first poll
        say(redact(f"the Bot API could not be reached while starting ({type(error).__name__}); "
                   "the service manager may start the bot again"))
        return 1
    return 0


def _currency_code(value: str) -> str:
    from bot.parsing.amounts import currency_code_problem

    if not re.fullmatch(r"[A-Za-z]{3}", value):
        raise argparse.ArgumentTypeError(f"{value!r} is not an ISO 4217 code like CNY or USD")
    problem = currency_code_problem(value.upper())
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return value.upper()


def _parse(args: argparse.Namespace) -> int:
    from bot.parsing import parse_note

    try:
        tz = ZoneInfo(args.tz)
    except (ZoneInfoNotFoundError, ValueError):
        print(f"unknown timezone: {args.tz}", file=sys.stderr)
        return 2
    try:
        now = datetime.fromisoformat(args.now) if args.now else datetime.now(tz)
    except ValueError:
        print(f"--now must be ISO 8601, e.g. 2026-11-25T17:30:00+08:00 (got {args.now!r})", file=sys.stderr)
        return 2
    if now.tzinfo is None:
        now = now.replace(tzinfo=tz)
    clients = None
    if args.clients:
        from bot.client_matching import read_client_list

        try:
            clients = read_client_list(Path(args.clients).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as error:
            print(f"cannot read --clients {args.clients}: {error}", file=sys.stderr)
            return 2
    lines = sys.stdin.read().splitlines() if args.batch else [" ".join(args.text)]
    for line in lines:
        parsed = parse_note(line, now, tz, currency=args.currency)
        out = parsed.to_json()
        if clients is not None:
            from bot.client_matching import match_note, note_match_json

            out["client_match"] = note_match_json(match_note(parsed.clients, line, clients))
        print(json.dumps(out, ensure_ascii=False), flush=False)
    sys.stdout.flush()
    return 0


def _faq(args: argparse.Namespace) -> int:
    from bot.faq import FaqError, FaqIndex, load_faq

    try:
        index = FaqIndex(load_faq())
    except FaqError as error:
        print(f"faq error: {error}", file=sys.stderr)
        return 2
    lines = sys.stdin.read().splitlines() if args.batch else [" ".join(args.question)]
    for line in lines:
        print(json.dumps(index.rank(line).to_json(), ensure_ascii=False))
    return 0


async def _open_rm(settings: Settings, user_id: int):
    """(repository, the RM's profile) for the read-only commands; the profile is None (and said) if unknown."""
    from storage import Repository

    repo = await Repository.open(settings.storage.database, settings.backup.directory)
    rm = await repo.rms.get(user_id)
    if rm is None:
        print(f"no RM with Telegram id {user_id} in {settings.storage.database}", file=sys.stderr)
    return repo, rm


async def _digest(settings: Settings, user_id: int, day: date | None, as_json: bool) -> int:
    from bot.push.digests import DigestComposer, holiday_namer

    repo, rm = await _open_rm(settings, user_id)
    try:
        if rm is None:
            return 1
        digests = DigestComposer(repo, settings)  # composed and printed: nothing is sent
        day = day or datetime.now(ZoneInfo(rm.timezone)).date()
        if as_json:
            digest = await digests.digest_for(rm, day)
            print(json.dumps(digest.to_json(holiday_namer(settings, rm.language)), ensure_ascii=False))
        else:
            _, text, _ = await digests.digest_message(rm, day)
            print(text)
    finally:
        await repo.close()
    return 0


async def push_digests(settings: Settings, day: date | None, request=None, *, wait: float = 1800.0) -> int:
    """Send the day's digest to every active RM now, whatever their working-days setting.

    Beside a running bot (its run lock is held) the digests are handed to it through the
    delivery log and this waits for their outcome: one sending budget, never two. Only when no
    bot runs does this send them itself.
    """
    from storage.run_lock import is_running

    if is_running(settings.storage.database):
        return await _hand_digests_to_running_bot(settings, day, wait)
    from bot.application import build_application, running

    if not settings.telegram.token and request is None:
        print("push-digests needs a bot token: set [telegram] token or RMBOT_TELEGRAM__TOKEN", file=sys.stderr)
        return 2
    application = build_application(settings, request=request, schedule=False)
    async with running(application):
        data = application.bot_data
        outcomes = await data.pusher.push_all_digests(application.bot, day)
    print(json.dumps({"date": day.isoformat() if day else None, **dict(outcomes)}))
    return 1 if outcomes.get("failed") else 0


async def _hand_digests_to_running_bot(settings: Settings, day: date | None, wait: float) -> int:
    from collections import Counter

    from bot.reminders.schedule import local_day
    from storage import Repository
    from storage.deliveries import QUEUED

    repo = await Repository.open(settings.storage.database, settings.backup.directory)
    outcomes: Counter = Counter()
    try:
        now = datetime.now(UTC)
        handed = []
        for rm in await repo.rms.active():
            key = (day or local_day(now, ZoneInfo(rm.timezone))).isoformat()
            if await repo.deliveries.queue(rm.user_id, "digest", key, now):
                handed.append((rm.user_id, key))
            else:
                outcomes["already"] += 1
        print(f"handed {len(handed)} digests to the running bot; waiting for them", file=sys.stderr)
        deadline = asyncio.get_running_loop().time() + wait
        waiting = list(handed)
        while waiting and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.5)
            still = []
            for rm_id, key in waiting:
                outcome = await repo.deliveries.outcome(rm_id, "digest", key)
                if outcome is None:
                    outcomes["stopped"] += 1  # the bot stopped before its turn: its next start's catch-up
                elif outcome[0] == "pending":
                    still.append((rm_id, key))
                elif outcome[0] == "sent":
                    outcomes["sent" if outcome[1] is not None else "skipped"] += 1
                else:
                    outcomes["blocked" if outcome[2] == "blocked" else "failed"] += 1
            waiting = still
        if waiting:
            queued = 0
            for rm_id, key in waiting:
                outcome = await repo.deliveries.outcome(rm_id, "digest", key)
                queued += outcome is not None and outcome[2] == QUEUED
            outcomes["waiting"] += len(waiting)
            print(f"{len(waiting)} digests not done after {wait:.0f}s ({queued} not yet taken by the bot)",
                  file=sys.stderr)
    finally:
        await repo.close()
    print(json.dumps({"date": day.isoformat() if day else None, "handed_to_running_bot": True, **dict(outcomes)}))
    return 1 if outcomes.get("failed") or outcomes.get("waiting") else 0


async def _import(settings: Settings, kind: str, user_id: int, path: str) -> int:
    from pathlib import Path

    from bot.imports.storing import import_file
    from storage import Repository

    try:
        content = Path(path).read_bytes()
    except OSError as error:
        print(f"{path}: {error.strerror}", file=sys.stderr)
        return 2
    repo = await Repository.open(settings.storage.database, settings.backup.directory)
    try:
        now = datetime.now(UTC)
        if await repo.rms.get(user_id) is None:  # an RM set up before their first message
            await repo.rms.ensure(user_id, user_id, "", language=settings.defaults.language,
                                  timezone=settings.defaults.timezone, digest_time=settings.defaults.digest_time,
                                  now=now)
        report = await import_file(repo, user_id, kind, Path(path).name, content, now,
                                   tuple(settings.bank.own_names))
        await repo.audit.record(0, "import", f"{kind} for {user_id}", now)
    finally:
        await repo.close()
    print(json.dumps(report.to_json(), ensure_ascii=False))
    return 1 if report.file_error else 0


async def _report(settings: Settings, user_id: int, period: str, day: date | None, as_json: bool) -> int:
    from bot.reports.compose import compose_period
    from bot.reports.loading import load_period_report

    repo, rm = await _open_rm(settings, user_id)
    try:
        if rm is None:
            return 1
        today = datetime.now(ZoneInfo(rm.timezone)).date()
        report = await load_period_report(repo, rm, period, day or today)
        print(json.dumps(report.to_json(), ensure_ascii=False) if as_json
              else compose_period(report, rm.language, today))
    finally:
        await repo.close()
    return 0
