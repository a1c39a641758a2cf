"""bot/callback_data.py: what `encode` builds, `decode` reads back; what it would not read, it refuses."""

from __future__ import annotations

from datetime import date

import pytest

from bot.callback_data import Callback, decode, encode

ROUND_TRIPS = [  # (prefix, action, fields, data, why)
    ("n", "p", (12, 7), "n:p:12:7", "pick a client: contact id, client id"),
    ("n", "r", (3, "f202612011430"), "n:r:3:f202612011430", "a date reading with a time"),
    ("c", "settier", (5, "A"), "c:settier:5:A", "a tier"),
    ("l", "*", (0,), "l:*:0", "all tiers, first page"),
    ("d", "h", ("spring_festival", date(2027, 2, 6), "p2"), "d:h:spring_festival:20270206:p2",
     "a date field is written YYYYMMDD"),
    ("d", "ch", (9, "M"), "d:ch:9:M", "a channel letter"),
    ("r", "t", (date(2026, 11, 25), 1), "r:t:20261125:1", "/today, page 2"),
    ("p", "keep", (), "p:keep", "an action without fields"),
    ("s", "lang", ("zh",), "s:lang:zh", "a language"),
    ("f", "c", ("",), "f:c:", "all FAQ categories"),
    ("f", "c", ("practice",), "f:c:practice", "every FAQ category, the newest too"),
]
REFUSED = [  # (prefix, action, fields, why)
    ("n", "p", (12,), "a field missing"),
    ("n", "zz", (12,), "an unknown action"),
    ("x", "a", (1,), "an unknown prefix"),
    ("n", "u", (0,), "row ids start at 1"),
    ("c", "settier", (5, "D"), "no tier D"),
    ("r", "t", (date(1999, 12, 31), 0), "a day outside the bot's range"),
    ("f", "c", ("gossip",), "no such category"),
    ("q", 0, ("x" * 70,), "over Telegram's 64 bytes"),
]


def test_tables_have_no_duplicates():
    assert len({row[3] for row in ROUND_TRIPS}) == len(ROUND_TRIPS)
    assert len({row[:3] for row in REFUSED}) == len(REFUSED)


@pytest.mark.parametrize("prefix, action, fields, data, why", ROUND_TRIPS, ids=[row[4] for row in ROUND_TRIPS])
def test_encode_builds_what_decode_reads_back(prefix, action, fields, data, why):
    assert encode(prefix, action, *fields) == data
    decoded = decode(data, prefix)
    assert decoded is not None and (decoded.prefix, decoded.action) == (prefix, action)


@pytest.mark.parametrize("prefix, action, fields, why", REFUSED, ids=[row[3] for row in REFUSED])
def test_encode_refuses_what_decode_would_not_read(prefix, action, fields, why):
    with pytest.raises(ValueError):
        encode(prefix, action, *fields)


def test_find_pages_keep_their_words_colons_and_all():
    data = encode("q", 2, "LC: renewal")
    assert data == "q:2:LC: renewal" and decode(data) == Callback("q", "page", (2, "LC: renewal"))
