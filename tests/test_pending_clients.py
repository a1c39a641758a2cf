"""Which waiting notes are "the same name" (bot/pending_clients.py, pure): (typed, other, same?, why)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.pending_clients import is_pending, pending_notes, same_name_pending
from storage.records import Client, Contact

ROWS = [
    ("刘芳", "刘芳", True, "the same characters"),
    ("Liu Fang", "liu  fang", True, "case and spaces are how it was typed, not another name"),
    ("刘芳", "刘总", False, "another name is never filed with it"),
    ("刘芳", "刘芳芳", False, "a longer name is another name"),
    ("Mr Chen", "Chen", False, "a title makes it another typed name: the matcher asks, not this list"),
]


def note(contact_id: int, name: str | None, client_id: int | None = None) -> Contact:
    return Contact(contact_id, f"拜访{name}", client_id, name, "visit", None, None,
                   created_at=datetime.fromisoformat("2026-11-25T23:30:00+00:00"))


def test_rows_are_unique():
    assert not [k for k, n in Counter((a, b) for a, b, _, _ in ROWS).items() if n > 1]


@pytest.mark.parametrize(("typed", "other", "same", "why"), ROWS, ids=[f"{a}~{b}" for a, b, _, _ in ROWS])
def test_same_name(typed, other, same, why):
    assert bool(same_name_pending([note(2, other)], typed)) is same, why


def test_only_waiting_notes_other_than_the_one_filed_and_none_newer_than_asked():
    notes = [note(1, "刘芳"), note(2, "刘芳", client_id=7), note(3, None), note(4, "刘芳"), note(5, "刘芳")]
    assert [c.id for c in same_name_pending(notes, "刘芳", besides=4, up_to=4)] == [1]
    assert [is_pending(c) for c in notes] == [True, False, False, True, True]


def test_a_waiting_note_is_listed_with_its_candidates_on_the_rms_day():
    [item] = pending_notes([note(1, "李总")], [Client(7, "刘总"), Client(8, "王总")], ZoneInfo("Asia/Shanghai"))
    assert (item.name, str(item.written_on), item.candidates) == ("李总", "2026-11-26", ((7, "刘总"),))
