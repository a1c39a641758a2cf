"""Report figures: pure functions of stored data and a date range."""

from __future__ import annotations

from datetime import date

import pytest

from storage.records import Client, Contact, FollowUp
from bot.reports.compose import TeamRow, compose_client_list, compose_period, compose_team
from bot.reports.figures import period_range, period_report

D = date.fromisoformat
CADENCE = {"A": 30, "B": 60, "C": 90}

RANGES = [
    ("week", "2026-11-25", "2026-11-23", "2026-11-29", "Monday to Sunday"),
    ("week", "2026-12-31", "2026-12-28", "2027-01-03", "a week crossing the year end"),
    ("month", "2026-12-15", "2026-12-01", "2026-12-31", "December"),
    ("month", "2028-02-10", "2028-02-01", "2028-02-29", "February of a leap year"),
    ("day", "2026-11-25", "2026-11-25", "2026-11-25", "one day"),
]


@pytest.mark.parametrize("period, day, start, end, why", RANGES, ids=[r[-1] for r in RANGES])
def test_period_ranges(period, day, start, end, why):
    assert period_range(period, D(day)) == (D(start), D(end)), why


def contact(n, client_id, on, channel="visit", needs=()):
    return Contact(n, f"note {n}", client_id, None, channel, D(on) if on else None, None, needs)


def test_an_rm_with_no_data_gets_zeros_not_errors():
    report = period_report("week", D("2026-11-25"), [], [], [], CADENCE)
    assert report.to_json()["contacts"] == 0 and report.coverage["A"].share is None
    assert "Nothing logged" in compose_period(report, "en", D("2026-11-25"))


def test_week_figures_by_channel_clients_needs_follow_ups_and_coverage():
    clients = [Client(1, "刘总", tier="A", created_on=D("2026-11-24")), Client(2, "王姐", tier="A", created_on=D("2026-01-01")),
               Client(3, "张三", tier="B", created_on=D("2026-01-01"), last_contact_on=D("2026-10-20"))]
    contacts = [contact(1, 1, "2026-11-24", "visit", ("LC",)), contact(2, 1, "2026-11-25", "call", ("LC", "DEPOSIT")),
                contact(3, 2, "2026-11-22", "email"), contact(4, None, "2026-11-26", None), contact(5, 2, "2026-10-01"),
                contact(6, 1, "2026-11-26", None), contact(7, 1, None, "visit")]
    # 4 names no client and 7 has no contact date (a plan): stored, but not contacts (issue 18)
    follow_ups = [FollowUp(1, 1, None, D("2026-11-24"), status="done"), FollowUp(2, 2, None, D("2026-11-27")),
                  FollowUp(3, 2, None, D("2026-12-01"))]
    figures = period_report("week", D("2026-11-25"), clients, contacts, follow_ups, CADENCE).to_json()
    assert figures["contacts"] == 3 and figures["by_channel"] == {"M": 1, "T": 1, "?": 1}
    assert (figures["clients_reached"], figures["new_clients"]) == (1, 1)
    assert figures["needs"] == {"LC": 2, "DEPOSIT": 1}
    assert figures["follow_ups"] == {"due": 2, "done": 1}
    assert figures["coverage"]["A"] == {"covered": 2, "total": 2, "share": 1.0}
    assert figures["coverage"]["B"] == {"covered": 1, "total": 1, "share": 1.0}


def test_month_crossing_a_year_counts_only_its_own_days():
    contacts = [contact(1, 1, "2026-12-31"), contact(2, 1, "2027-01-01"), contact(3, 1, "2027-01-31")]
    january = period_report("month", D("2027-01-15"), [Client(1, "A", tier="A")], contacts, [], CADENCE)
    assert (january.start, january.end, january.contacts) == (D("2027-01-01"), D("2027-01-31"), 2)


def test_coverage_counts_the_cadence_as_of_the_period_end():
    clients = [Client(1, "A1", tier="A"), Client(2, "A2", tier="A")]
    contacts = [contact(1, 1, "2026-10-20"), contact(2, 2, "2026-11-20"), contact(3, 1, "2026-12-05")]
    report = period_report("month", D("2026-11-10"), clients, contacts, [], CADENCE)
    assert (report.coverage["A"].covered, report.coverage["A"].total) == (1, 2)  # December's contact is after


def test_client_list_pages_never_cut_silently():
    clients = [(Client(n, f"Client {n}"), None) for n in range(40)]
    text, pages, shown = compose_client_list(clients, None, 2, "en", D("2026-11-25"))
    assert pages == 3 and len(shown) == 10 and "page 3/3" in text and "Client 39" in text


def test_team_summary_splits_under_telegrams_limit():
    rows = [TeamRow(f"RM {n}", {"visit": 2}, 1, tuple(f"客户{i}" for i in range(30)), ("x" * 80,) * 5) for n in range(60)]
    messages = compose_team(rows, "zh", D("2026-11-25"))
    assert len(messages) > 1 and all(len(m) <= 4096 for m in messages)
    assert sum(m.count("<b>RM ") for m in messages) == 60


def test_coverage_from_storage_aggregates_equals_coverage_derived_from_contacts():
    clients = [Client(1, "A1", tier="A"), Client(2, "A2", tier="A"), Client(3, "B1", tier="B")]
    contacts = [contact(1, 1, "2026-10-20"), contact(2, 2, "2026-11-20"), contact(3, 3, "2026-09-01")]
    derived = period_report("month", D("2026-11-10"), clients, contacts, [], CADENCE)
    given = period_report("month", D("2026-11-10"), clients, [], [], CADENCE,
                          {1: D("2026-10-20"), 2: D("2026-11-20"), 3: D("2026-09-01")})
    assert given.coverage == derived.coverage and given.coverage["A"].covered == 1


def test_a_note_about_two_clients_counts_its_amount_and_needs_once():
    """拜访刘总和王总，谈银团贷款五个亿 is one 5亿 and one loan need, though it is a contact with each."""
    from dataclasses import replace

    clients = [Client(1, "刘总", tier="A"), Client(2, "王总", tier="A")]
    shared = [replace(contact(1, 1, "2026-11-24", "visit", ("LOAN",)), amount=5e8, currency="CNY", note_id=77),
              replace(contact(2, 2, "2026-11-24", "visit", ("LOAN",)), amount=5e8, currency="CNY", note_id=77),
              replace(contact(3, 1, "2026-11-25", "call", ("LOAN",)), amount=1e6, currency="USD", note_id=78),
              replace(contact(4, 2, "2026-11-25", "call"), amount=5e8, currency="CNY", note_id=79)]
    figures = period_report("week", D("2026-11-25"), clients, shared, [], CADENCE).to_json()
    assert figures["contacts"] == 4 and figures["clients_reached"] == 2
    assert figures["needs"] == {"LOAN": 2}, "two notes asked for a loan; the shared one counts once"
    assert figures["amounts"] == {"CNY": 1_000_000_000, "USD": 1_000_000}, "5亿 shared once + 5亿; USD apart"


def test_an_amount_edited_on_one_client_of_a_shared_note_is_another_sum():
    from dataclasses import replace

    split = [replace(contact(1, 1, "2026-11-24"), amount=3e8, currency="CNY", note_id=5),
             replace(contact(2, 2, "2026-11-24"), amount=2e8, currency="CNY", note_id=5)]
    figures = period_report("week", D("2026-11-25"), [], split, [], CADENCE).to_json()
    assert figures["amounts"] == {"CNY": 500_000_000}
