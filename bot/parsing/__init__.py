"""The note parser: a pure function of (text, now, tz)."""

from bot.parsing.note import MAX_NOTE_LENGTH, ParsedNote, parse_note

__all__ = ["MAX_NOTE_LENGTH", "ParsedNote", "parse_note"]
