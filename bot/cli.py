"""python -m bot: run | console | parse. Every subcommand takes --config PATH anywhere."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from datetime import datetime
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
    parse.add_argument("text", nargs="*", help="the note")
    faq = commands.add_parser("faq", parents=[common], help="rank FAQ entries for a question, as JSON")
    faq.add_argument("--batch", action="store_true", help="one question per stdin line, one JSON per line")
    faq.add_argument("question", nargs="*", help="the question")
    return parser


def main(argv: list[str] | None = None) -> int:
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
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if args.command == "console":
        return _console(settings)
    if args.command == "run":
        return _run(settings)
    return 2


def _console(settings: Settings) -> int:
    from bot.console import run_console

    logging.getLogger().setLevel(logging.WARNING)
    asyncio.run(run_console(settings))
    return 0


def _run(settings: Settings) -> int:
    from bot.strings import t

    if not settings.telegram.token:
        print(t(settings.defaults.language, "console.no_token"), file=sys.stderr)
        return _console(settings)
    from bot.application import build_application

    application = build_application(settings)
    application.run_polling(timeout=settings.telegram.poll_timeout)
    return 0


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
    lines = sys.stdin.read().splitlines() if args.batch else [" ".join(args.text)]
    for line in lines:
        print(json.dumps(parse_note(line, now, tz).to_json(), ensure_ascii=False), flush=False)
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
