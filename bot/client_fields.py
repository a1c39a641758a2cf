"""Client fields an RM may edit from the client card, and how a typed value is read (pure)."""

from __future__ import annotations

from datetime import date

from bot.reminders.birthdays import parse_lunar

FIELDS = ("phone", "company", "birthday", "lunar_birthday", "cadence_days", "notes")
CLEAR_WORDS = {"none", "clear", "-", "无", "清空", "没有"}
TEXT_LIMIT = 200


class FieldError(ValueError):
    """The value does not fit the field; the hint key says what would."""

    def __init__(self, hint: str) -> None:
        super().__init__(hint)
        self.hint = hint


def read_client_field(field: str, text: str) -> str | int | None:
    """The stored value for a typed one (None clears the field)."""
    value = text.strip()
    if value.lower() in CLEAR_WORDS:
        return None
    if field == "birthday":
        try:
            born = date.fromisoformat(value.replace("/", "-"))
        except ValueError:
            raise FieldError("card.hint_birthday") from None
        if not date(1900, 1, 1) <= born <= date(2099, 12, 31):
            raise FieldError("card.hint_birthday")
        return born.isoformat()
    if field == "lunar_birthday":
        lunar = parse_lunar(value)
        if lunar is None:
            raise FieldError("card.hint_lunar_birthday")
        return f"{lunar[0]:02d}-{lunar[1]:02d}"
    if field == "cadence_days":
        if not (value.isascii() and value.isdecimal() and len(value) <= 4) or not 1 <= int(value) <= 3650:
            raise FieldError("card.hint_cadence_days")
        return int(value)
    if len(value) > TEXT_LIMIT:
        raise FieldError("card.hint_text")
    return value
