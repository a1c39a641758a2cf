"""What the logs may hold: ids and error types, never the bot token, never an update's content.

Both promises must hold for every record, the libraries' included: PTB logs the whole batch of
updates at CRITICAL when it cannot parse one, the data a webhook received at DEBUG, every Bot API
call's parameters and answer at DEBUG, and the body of an upstream error page (which may echo the
request path, `/bot<token>/sendMessage`) at ERROR. A log record factory, installed once for the
process, rewrites each record as it is made, before any handler or filter sees it:

* a secret (the token, its secret half, the webhook secret) is replaced by `[redacted]` in the
  message and in the traceback text, whoever logged it;
* in a record from a library's logger (anything but ours: bot, handlers, storage, which log ids
  only), an argument that is not a number or a short word (a dict, an Update, a list, a JSON
  string, a message text, aiosqlite's pending call) is withheld, so the library's message keeps
  its shape ("Received data was <withheld>") and loses the content.
"""

from __future__ import annotations

import datetime
import logging
import re
import threading
import traceback
from typing import Any

REDACTED = "[redacted]"
WITHHELD = "<withheld>"
_SAFE_WORD = re.compile(r"[\w.:/@%+-]{0,100}")  # endpoint names, URLs, ids, counts
_OUR_LOGGERS = ("bot", "handlers", "storage")

_secrets: set[str] = set()
_lock = threading.Lock()
_installed = False


def protect_logs(*secrets: str | None) -> None:
    """Redact these secrets from every log record from now on (and install the factory once)."""
    global _installed
    with _lock:
        for secret in secrets:
            for variant in _variants(secret or ""):
                _secrets.add(variant)
        if not _installed:
            make_record = logging.getLogRecordFactory()

            def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
                return _sanitise(make_record(*args, **kwargs))

            logging.setLogRecordFactory(factory)
            _installed = True


def _variants(secret: str) -> list[str]:
    """The forms a secret shows up in: as is, URL-encoded, and a token's secret half alone."""
    if len(secret) < 6:  # too short to be a real secret; redacting it would garble ordinary text
        return []
    forms = {secret, secret.replace(":", "%3A"), secret.replace(":", "%3a")}
    if ":" in secret:
        tail = secret.split(":", 1)[1]
        if len(tail) >= 6:
            forms.add(tail)
    return sorted(forms, key=len, reverse=True)


def redact(text: str) -> str:
    """TEXT with every known secret replaced."""
    for secret in sorted(_secrets, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, REDACTED)
    return text


class _Withheld:
    """Stands in for a withheld argument, the same under %s and %r."""

    def __repr__(self) -> str:
        return WITHHELD

    __str__ = __repr__


_WITHHELD = _Withheld()


def _safe_argument(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, datetime.date, datetime.time, datetime.timedelta)):
        return value
    if isinstance(value, str) and _SAFE_WORD.fullmatch(value):
        return value
    return _WITHHELD


def _is_library(name: str) -> bool:
    return name.split(".", 1)[0] not in _OUR_LOGGERS


def _sanitise(record: logging.LogRecord) -> logging.LogRecord:
    try:
        library = _is_library(record.name)
        if library and record.args:
            args = record.args
            if isinstance(args, dict) and "%(" in str(record.msg):
                record.args = {key: _safe_argument(value) for key, value in args.items()}
            elif isinstance(args, dict):  # logging unpacks a lone mapping argument
                record.args = (_WITHHELD,)
            else:
                record.args = tuple(_safe_argument(value) for value in args)
        try:
            message = record.getMessage()
        except Exception:  # a withheld argument where a number was expected
            message = str(record.msg)
        record.msg, record.args = redact(message), ()
        if record.exc_info and record.exc_info[0] is not None:
            text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
            if library or redact(text) != text:
                record.exc_text = redact(text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
    except Exception:  # logging must never fail because of this
        record.msg, record.args = "log record withheld (could not be made safe)", ()
    return record
