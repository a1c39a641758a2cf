"""Who is due, as a pure function of stored data and a day: table-driven, like the parser tests."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from storage.records import Client, FollowUp, Holding, RMProfile
from bot.reminders import DigestInput, DigestRules, GreetingRule, WorkCalendar, compute_digest
from bot.pending_clients import PendingNote
from bot.reminders.birthdays import birthday_between
from bot.reminders.digest_message import compose_digest
from bot.reminders.schedule import digest_due, previous_digest_day, timed_follow_ups_due

CALENDAR = WorkCalendar()
D = date.fromisoformat


def digest(clients=(), last=None, follow_ups=(), holdings=(), snoozes=None, today="2026-11-25", previous=None,
           calendar=CALENDAR):
    data = DigestInput(tuple(clients), last or {}, tuple(follow_ups), tuple(holdings), snoozes or {})
    return compute_digest(data, D(today), calendar, DigestRules(), D(previous) if previous else None)


# --- cadence: (tier, override, imported last contact, logged last contact, today, expected days overdue, why)
CADENCE = [
    ("A", None, None, "2026-10-26", "2026-11-25", 0, "tier A: due on the 30th day"),
    ("A", None, None, "2026-10-27", "2026-11-25", None, "tier A: 29 days is not due"),
    ("B", None, None, "2026-09-01", "2026-11-25", 25, "tier B: 60 days, 25 overdue"),
    ("C", None, None, "2026-08-27", "2026-11-25", 0, "tier C: 90 days"),
    ("C", 14, None, "2026-11-11", "2026-11-25", 0, "a per-client cadence wins over the tier's"),
    ("A", None, "2026-09-01", "2026-11-20", "2026-11-25", None, "a logged contact resets the imported baseline"),
    ("A", None, "2026-11-20", "2026-09-01", "2026-11-25", None, "a later imported baseline counts too"),
    ("A", None, None, "2027-01-31", "2027-03-02", 0, "month end: 30 days after 31 Jan in a common year"),
    ("A", None, None, "2028-01-31", "2028-03-01", 0, "month end in a leap year: 29 Feb counts"),
    ("B", None, None, "2027-12-31", "2028-02-29", 0, "across a year end into a leap day"),
]


def test_cadence_table_has_no_duplicates():
    assert len({row[:5] for row in CADENCE}) == len(CADENCE)


@pytest.mark.parametrize("tier, override, imported, logged, today, expected, why", CADENCE, ids=[r[-1] for r in CADENCE])
def test_cadence(tier, override, imported, logged, today, expected, why):
    client = Client(1, "刘总", tier=tier, cadence_days=override, last_contact_on=D(imported) if imported else None)
    result = digest([client], {1: D(logged)} if logged else {}, today=today)
    overdue = [item.days_overdue for item in result.due_contacts]
    assert overdue == ([] if expected is None else [expected]), why


def test_never_contacted_clients_are_due_and_tier_a_comes_first():
    clients = [Client(1, "C客户", tier="C"), Client(2, "A客户", tier="A"), Client(3, "A2", tier="A")]
    result = digest(clients, {3: D("2026-09-01")})
    assert [(i.client, i.last_contact_on, i.days_overdue) for i in result.due_contacts] == [
        ("A客户", None, None), ("A2", D("2026-09-01"), 55), ("C客户", None, None)]


def test_custom_tier_cadence_from_the_rm():
    data = DigestInput((Client(1, "王姐", tier="A"),), {1: D("2026-11-11")}, (), cadence={"A": 14, "B": 60, "C": 90})
    assert compute_digest(data, D("2026-11-25"), CALENDAR).due_contacts[0].days_overdue == 0


# --- birthdays: (solar, lunar MM-DD, today, expected (day, lunar) or None, why)
BIRTHDAYS = [
    ("1980-11-25", None, "2026-11-25", ("2026-11-25", False), "today"),
    ("1980-11-28", None, "2026-11-25", ("2026-11-28", False), "in 3 days"),
    ("1980-11-29", None, "2026-11-25", None, "in 4 days: not yet"),
    ("1980-01-01", None, "2026-12-30", ("2027-01-01", False), "across the year end"),
    ("1984-02-29", None, "2027-02-27", ("2027-02-28", False), "29 Feb falls on 28 Feb in a common year"),
    ("1984-02-29", None, "2028-02-27", ("2028-02-29", False), "29 Feb in a leap year"),
    (None, "12-28", "2027-02-02", ("2027-02-04", True), "lunar 12-28 falls before Chinese New Year 2027"),
    (None, "01-02", "2027-02-05", ("2027-02-07", True), "lunar 01-02 falls after Chinese New Year 2027"),
    (None, "12-30", "2027-02-03", ("2027-02-05", True), "lunar 30th of a 29-day month: its last day"),
    (None, "01-15", "2026-03-01", ("2026-03-03", True), "lunar birthday moves every solar year (2026)"),
    (None, "01-15", "2027-02-18", ("2027-02-20", True), "lunar birthday moves every solar year (2027)"),
    ("1980-03-03", "05-05", "2026-03-01", None, "the lunar birthday wins over the solar one"),
    (None, "13-40", "2026-11-25", None, "a malformed lunar date is ignored, never a crash"),
]


@pytest.mark.parametrize("solar, lunar, today, expected, why", BIRTHDAYS, ids=[r[-1] for r in BIRTHDAYS])
def test_birthdays(solar, lunar, today, expected, why):
    client = Client(1, "陈总", birthday=D(solar) if solar else None, lunar_birthday=lunar)
    found = birthday_between(client, D(today), D(today).fromordinal(D(today).toordinal() + 3))
    assert found == ((D(expected[0]), expected[1]) if expected else None), why


def test_birthday_in_the_digest_says_lunar_and_days_until():
    result = digest([Client(1, "陈总", lunar_birthday="12-28", last_contact_on=D("2027-02-01"))], today="2027-02-02")
    assert [(b.client, b.on, b.lunar, b.days_until) for b in result.birthdays] == [("陈总", D("2027-02-04"), True, 2)]


# --- the working calendar and greeting days
WORKING = [
    ("2026-11-25", True, "an ordinary Wednesday"),
    ("2026-11-28", False, "a Saturday"),
    ("2026-10-01", False, "National Day"),
    ("2026-10-07", False, "the National Day week"),
    ("2026-02-14", True, "a Saturday made a working day (调休) for Spring Festival"),
    ("2026-04-05", False, "Qingming on a Sunday"),
    ("2026-04-06", False, "Qingming on a Sunday: Monday is off instead"),
]


@pytest.mark.parametrize("day, working, why", WORKING, ids=[r[-1] for r in WORKING])
def test_working_days(day, working, why):
    assert CALENDAR.is_working_day(D(day)) is working, why


def test_greeting_days_within_a_week_include_a_holiday_on_a_weekend():
    days = CALENDAR.greeting_days(D("2026-03-30"), D("2026-04-06"))
    assert [(g.key, g.on) for g in days] == [("qingming", D("2026-04-05"))]


def test_greeting_days_across_the_year_end_and_lunar_festivals():
    days = CALENDAR.greeting_days(D("2026-12-28"), D("2027-03-01"))
    assert [(g.key, g.on) for g in days] == [("new_year", D("2027-01-01")), ("spring_festival", D("2027-02-06")),
                                             ("lantern", D("2027-02-20"))]


def test_configured_extra_days_solar_and_lunar():
    calendar = WorkCalendar(("spring_festival",), (GreetingRule("womens_day", 3, 8), GreetingRule("double_ninth", 9, 9, True)))
    assert [(g.key, g.on) for g in calendar.greeting_days(D("2026-03-01"), D("2026-10-31"))] == [
        ("womens_day", D("2026-03-08")), ("double_ninth", D("2026-10-18"))]


def test_holiday_in_the_digest_lists_every_client_tier_a_first():
    clients = [Client(1, "张三", tier="C", last_contact_on=D("2026-12-20")),
               Client(2, "李四", tier="A", last_contact_on=D("2026-12-20"))]
    result = digest(clients, today="2026-12-28")
    assert [(h.key, h.on, h.clients) for h in result.holidays] == [("new_year", D("2027-01-01"), ("李四", "张三"))]


# --- follow-ups and snoozes
def test_follow_ups_due_today_and_overdue_most_overdue_first_and_not_repeated_as_due_contacts():
    clients = [Client(1, "刘总", tier="A"), Client(2, "王姐", tier="A", last_contact_on=D("2026-11-20"))]
    follow_ups = [FollowUp(10, 1, None, D("2026-11-25"), time(15, 0)), FollowUp(11, 2, None, D("2026-11-20")),
                  FollowUp(12, 2, None, D("2026-11-26")), FollowUp(13, 1, None, D("2026-11-01"), status="done")]
    result = digest(clients, follow_ups=follow_ups)
    assert [(f.follow_up_id, f.days_overdue) for f in result.follow_ups] == [(11, 5), (10, 0)]
    assert result.due_contacts == ()


SNOOZES = [
    ("2026-11-26", "2026-11-25", False, "snoozed until tomorrow: hidden today"),
    ("2026-11-26", "2026-11-26", True, "back the day the snooze ends"),
    ("2026-12-02", "2026-11-30", False, "a week's snooze"),
]


@pytest.mark.parametrize("until, today, shown, why", SNOOZES, ids=[r[-1] for r in SNOOZES])
def test_snoozes(until, today, shown, why):
    follow_up = FollowUp(10, 1, None, D("2026-11-25"), snoozed_until=D(until))
    client = Client(2, "王姐", tier="A")
    result = digest([Client(1, "刘总", last_contact_on=D(today)), client], follow_ups=[follow_up],
                    snoozes={("contact", 2): D(until)}, today=today)
    assert bool(result.follow_ups) is shown, why
    assert bool(result.due_contacts) is shown, why


# --- maturities: (maturity, today, previous digest day, handled, snoozed until, expected days left, why)
MATURITIES = [
    ("2026-12-25", "2026-11-25", None, False, None, 30, "30 days ahead"),
    ("2026-12-24", "2026-11-25", None, False, None, None, "29 days ahead: already reminded at 30"),
    ("2026-12-02", "2026-11-25", None, False, None, 7, "7 days ahead"),
    ("2026-11-26", "2026-11-25", None, False, None, 1, "1 day ahead"),
    ("2026-12-02", "2026-11-25", None, True, None, None, "handled: no more reminders"),
    ("2026-12-28", "2026-11-30", "2026-11-27", False, None, 28, "the 30-day mark fell on Saturday: shown Monday"),
    ("2026-12-10", "2026-11-26", None, False, "2026-11-26", 14, "a snooze ending today brings it back"),
    ("2026-12-02", "2026-11-25", None, False, "2026-11-26", None, "snoozed"),
    ("2026-11-20", "2026-11-25", None, False, None, None, "already matured"),
]


@pytest.mark.parametrize("maturity, today, previous, handled, until, expected, why", MATURITIES,
                         ids=[r[-1] for r in MATURITIES])
def test_maturities(maturity, today, previous, handled, until, expected, why):
    holding = Holding(7, 1, "DEPOSIT", "大额存单", 1_000_000, None, D(maturity), handled)
    result = digest([Client(1, "赵总", last_contact_on=D(today))], holdings=[holding], today=today, previous=previous,
                    snoozes={("maturity", 7): D(until)} if until else None)
    assert [m.days_left for m in result.maturities] == ([] if expected is None else [expected]), why


def test_digest_json_has_the_documented_keys():
    clients = [Client(1, "刘总", tier="A", birthday=D("1980-11-26"))]
    holding = Holding(7, 1, "WEALTH", "", 500_000, None, D("2026-12-02"))
    result = digest(clients, follow_ups=[FollowUp(3, 1, None, D("2026-11-24"))], holdings=[holding])
    assert result.to_json() == {
        "clients_to_confirm": [],
        "dates_to_confirm": [],
        "follow_ups": [{"client": "刘总", "due_on": "2026-11-24", "count": 1}],
        "due_contacts": [],
        "birthdays": [{"client": "刘总", "on": "2026-11-26"}],
        "holidays": [],
        "maturities": [{"client": "刘总", "product": "WEALTH", "maturity_on": "2026-12-02", "days_left": 7}],
    }


def test_a_clients_follow_ups_on_one_day_are_one_item_listing_each():
    clients = [Client(1, "张总", tier="A"), Client(2, "王总", tier="B")]
    ups = [FollowUp(3, 1, None, D("2026-11-25"), time(19, 0)), FollowUp(4, 1, None, D("2026-11-25"), time(15, 20)),
           FollowUp(5, 2, None, D("2026-11-25")), FollowUp(6, 1, None, D("2026-11-24"))]
    result = digest(clients, last={1: D("2026-11-25"), 2: D("2026-11-25")}, follow_ups=ups)
    by_id = {item.follow_up_id: item for item in result.follow_ups}
    assert set(by_id) == {6, 4, 5}, "张总 today is one item (3 and 4), 张总 yesterday another"
    assert (by_id[4].count, by_id[4].others, by_id[4].due_time, by_id[4].other_times) == \
        (2, (3,), time(15, 20), (time(19, 0),))
    text, rows = compose_digest(result, "zh", lambda key: key)
    assert text.count("张总") == 2 and "今天到期 15:20、19:00（2 项）" in text
    en, _ = compose_digest(result, "en", lambda key: key)
    assert "due today 15:20, 19:00 (2 items)" in en


def test_a_waiting_notes_follow_up_shows_with_it_not_as_a_client_named_question_mark():
    note = PendingNote(9, "刘芳", "电话刘芳，要买基金", D("2026-11-25"), D("2026-11-25"), time(19, 0),
                       ((1, "刘总"),))
    data = DigestInput((Client(1, "刘总"),), {1: D("2026-11-25")},
                       (FollowUp(7, None, 9, D("2026-11-25"), time(19, 0)), FollowUp(8, None, 10, D("2026-11-25"))),
                       pending=(note,))
    result = compute_digest(data, D("2026-11-25"), CALENDAR, DigestRules())
    assert [item.follow_up_id for item in result.follow_ups] == [8], "the waiting note's follow-up is not listed apart"
    assert result.pending == (note,) and not result.is_empty and result.size == 2
    text, rows = compose_digest(result, "zh", lambda key: key)
    assert "<b>❓ 待确认客户</b>" in text and "1. “刘芳”是哪位？· 11月25日 周三 – 电话刘芳，要买基金 · 回访 11月25日 周三 19:00" in text
    assert "2. <b>（未指明客户）</b>" in text and "?" not in text
    assert [label for label, _ in rows[0]] == ["1· 刘总"]
    assert [label for label, _ in rows[1]] == ["1· ➕ 新客户“刘芳”", "1· 跳过"]
    assert result.to_json()["clients_to_confirm"] == [{"name": "刘芳", "written_on": "2026-11-25",
                                                       "candidates": ["刘总"]}]


# --- schedule: timezones west and east of UTC
RM = RMProfile(100, 100, digest_time="08:30")
TIMEZONES = [
    ("America/Los_Angeles", "2026-11-25T16:29:00+00:00", None, "08:29 in Los Angeles: not yet"),
    ("America/Los_Angeles", "2026-11-25T16:30:00+00:00", "2026-11-25", "08:30 in Los Angeles"),
    ("Asia/Tokyo", "2026-11-24T23:31:00+00:00", "2026-11-25", "already the 25th in Tokyo"),
    ("Asia/Shanghai", "2026-11-25T00:29:00+00:00", None, "08:29 in Shanghai"),
    ("Pacific/Kiritimati", "2026-11-24T18:40:00+00:00", "2026-11-25", "UTC+14"),
    ("Asia/Shanghai", "2026-11-28T01:00:00+00:00", None, "a Saturday: skipped on working days only"),
]


@pytest.mark.parametrize("zone, now, expected, why", TIMEZONES, ids=[r[-1] for r in TIMEZONES])
def test_digest_due_in_the_rms_timezone(zone, now, expected, why):
    due = digest_due(datetime.fromisoformat(now), RM, ZoneInfo(zone), CALENDAR)
    assert due == (D(expected) if expected else None), why


def test_weekend_digest_when_the_rm_wants_every_day():
    rm = RMProfile(100, 100, working_days_only=False)
    assert digest_due(datetime.fromisoformat("2026-11-28T01:00:00+00:00"), rm, ZoneInfo("Asia/Shanghai"),
                      CALENDAR) == D("2026-11-28")
    assert previous_digest_day(D("2026-11-30"), RM, CALENDAR) == D("2026-11-27")
    assert previous_digest_day(D("2026-11-30"), rm, CALENDAR) == D("2026-11-29")


def test_timed_follow_ups_come_due_at_their_time_same_day_only():
    tz = ZoneInfo("Asia/Shanghai")
    follow_ups = [FollowUp(1, 1, None, D("2026-11-25"), time(15, 0)), FollowUp(2, 1, None, D("2026-11-25"), time(18, 0)),
                  FollowUp(3, 1, None, D("2026-11-24"), time(9, 0)), FollowUp(4, 1, None, D("2026-11-25"))]
    now = datetime.fromisoformat("2026-11-25T17:30:00+08:00")
    assert [f.id for f in timed_follow_ups_due(follow_ups, now, tz)] == [1]
