"""Reminders: who to contact today and why. Pure functions of stored data and a date."""

from bot.reminders.calendar import GreetingDay, GreetingRule, WorkCalendar
from bot.reminders.digest import Digest, DigestInput, DigestRules, compute_digest

__all__ = ["Digest", "DigestInput", "DigestRules", "GreetingDay", "GreetingRule", "WorkCalendar", "compute_digest"]
