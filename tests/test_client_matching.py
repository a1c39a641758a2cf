"""Which client a note means: exact, alias, honorifics, pinyin, surname, typos."""

from __future__ import annotations

import pytest

from bot.client_matching import resolve_client
from storage.records import Client

CLIENTS = [Client(1, "刘总"), Client(2, "王姐"), Client(3, "Zhou Min"), Client(4, "Golden River Foods", ("金河食品",)),
           Client(5, "陈建国"), Client(6, "陈丽")]


@pytest.mark.parametrize(("name", "kind", "ids"), [
    ("刘总", "exact", [1]),
    ("金河食品", "exact", [4]),
    ("golden river foods", "exact", [4]),
    ("Liu", "confident", [1]),
    ("liu zong", "confident", [1]),
    ("Mr. Liu", "confident", [1]),
    ("刘", "confident", [1]),
    ("柳总", "confident", [1]),                  # same pinyin, a typing slip
    ("Wang jie", "confident", [2]),
    ("Golden River Food", "confident", [4]),     # typo
    ("Zhuo Min", "confident", [3]),              # typo
    ("陈", "ambiguous", [5, 6]),                 # a surname alone is asked
    ("Chen", "ambiguous", [5, 6]),
    ("Smith", "none", []),
])
def test_resolution(name, kind, ids):
    resolution = resolve_client(name, f"visited {name}", CLIENTS)
    assert resolution.kind == kind
    assert [c.id for c in resolution.clients] == ids


def test_a_known_name_anywhere_in_the_note_is_used_when_no_name_was_found():
    assert resolve_client(None, "LC for Golden River Foods", CLIENTS).client.id == 4


def test_no_clients_means_new():
    assert resolve_client("Liu", "visited Liu", []).kind == "none"
