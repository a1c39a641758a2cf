"""When pushes are due: the digest moment in the RM's timezone and timed follow-ups.

Pure functions of (stored settings, now), so the scheduler, the catch-up after a restart and
the tests agree on what "due" means west and east of UTC.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo

from bot.reminders.calendar import WorkCalendar
from storage.records import FollowUp, RMProfile


def local_day(now: datetime, tz: tzinfo) -> date:
    return now.astimezone(tz).date()


def digest_moment(day: date, digest_time: str, tz: tzinfo) -> datetime:
    return datetime.combine(day, time.fromisoformat(digest_time), tzinfo=tz)


def is_digest_day(day: date, rm: RMProfile, calendar: WorkCalendar) -> bool:
    return not rm.working_days_only or calendar.is_working_day(day)


def previous_digest_day(day: date, rm: RMProfile, calendar: WorkCalendar) -> date:
    """The digest day before `day`: what a maturity threshold must have passed since."""
    if not rm.working_days_only:
        return day - timedelta(days=1)
    return calendar.previous_working_day(day)


def digest_due(now: datetime, rm: RMProfile, tz: tzinfo, calendar: WorkCalendar) -> date | None:
    """The local day whose digest is due at `now`: past digest time, on a digest day (same day only)."""
    today = local_day(now, tz)
    if now < digest_moment(today, rm.digest_time, tz) or not is_digest_day(today, rm, calendar):
        return None
    return today


def follow_up_moment(follow_up: FollowUp, tz: tzinfo) -> datetime | None:
    if follow_up.due_time is None:
        return None
    return datetime.combine(follow_up.due_on, follow_up.due_time, tzinfo=tz)


def timed_follow_ups_due(follow_ups: tuple[FollowUp, ...] | list[FollowUp], now: datetime,
                         tz: tzinfo) -> list[FollowUp]:
    """Open follow-ups with a time that has come today; older ones wait in the digest instead."""
    today = local_day(now, tz)
    due = []
    for follow_up in follow_ups:
        moment = follow_up_moment(follow_up, tz)
        if (moment is None or follow_up.status != "open" or moment > now or follow_up.due_on != today
                or (follow_up.snoozed_until and follow_up.snoozed_until > today)):
            continue
        due.append(follow_up)
    return sorted(due, key=lambda f: (f.due_time, f.id))
