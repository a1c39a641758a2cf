"""The one-message confirmation of a stored note, and the /note list (pure: data in, text out)."""

from __future__ import annotations

from datetime import date, tzinfo

from bot.display import channel_name, format_amount, format_date, format_when, joined, product_names
from bot.strings import Markup, t
from storage.records import Contact

#: How much of a note's raw text a list line echoes back.
SNIPPET_LENGTH = 60
#: Longest client name echoed back.
NAME_LENGTH = 64


def snippet(text: str, length: int = SNIPPET_LENGTH) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


def compose_saved(contact: Contact, language: str, today: date, *, missing: tuple[str, ...] = ()) -> Markup:
    """Client, channel, date, needs, amount and follow-up in one short message."""
    client = contact.client_display or contact.client_name
    lines: list[str] = []
    if client:
        new = t(language, "note.new_client") if contact.created_client else ""
        key = "note.planned" if contact.follow_up_on and not contact.occurred_on else "note.saved"
        if contact.client_id is None:  # the name as written, not yet any client's: the reply asks whose
            key += "_unconfirmed"
        lines.append(t(language, key, client=snippet(client, NAME_LENGTH), new=Markup(new)))
    else:
        lines.append(t(language, "note.saved_raw"))
    channel = channel_name(contact.channel, language)
    if contact.occurred_on:
        lines.append(t(language, "note.line_contact", channel=channel,
                       date=format_date(contact.occurred_on, language, today)))
    elif contact.follow_up_on:  # a plan: its day and time on the one line that says when
        lines.append(t(language, "note.line_plan", channel=channel,
                       date=format_when(contact.follow_up_on, contact.follow_up_time, language, today)))
    elif contact.channel:
        lines.append(channel)
    if contact.needs:
        lines.append(t(language, "note.needs", needs=product_names(contact.needs, language)))
    if contact.amount is not None:
        lines.append(t(language, "note.amount", amount=format_amount(contact.amount, language, contact.currency,
                                                                     contact.amount_max)))
    if contact.follow_up_on and contact.occurred_on:
        lines.append(t(language, "note.follow_up",
                       date=format_when(contact.follow_up_on, contact.follow_up_time, language, today)))
    if missing:
        parts = [t(language, f"note.missing_{item}") for item in missing]
        lines.append(t(language, "note.missing", missing=Markup(joined(parts, language))))
    return Markup("\n".join(lines))


def compose_recent(contacts: list[Contact], language: str, today: date, tz: tzinfo | None = None) -> Markup:
    """The RM's last notes, newest first, one line each; a note with no date shows the RM's day
    (in their timezone `tz`) it was written."""
    if not contacts:
        return t(language, "recent.none")
    lines = [t(language, "recent.header")]
    for contact in contacts:
        written = contact.created_at.astimezone(tz) if contact.created_at and tz else contact.created_at
        when = contact.occurred_on or contact.follow_up_on or (written.date() if written else today)
        client = contact.client_display or contact.client_name
        lines.append(t(language, "recent.line", date=format_date(when, language, today),
                       channel=channel_name(contact.channel, language),
                       client=snippet(client, NAME_LENGTH) if client else t(language, "recent.no_client"),
                       text=snippet(contact.raw_text)))
    return Markup("\n".join(lines))


def compose_undone(removed: list[tuple[Contact, int, int]], language: str, today: date) -> Markup:
    """What an Undo removed, one line per client of the note: the contact or plan, needs, amount,
    follow-up, profile facts and policies. `removed`: (contact, its profile facts, its policies)."""
    lines = [t(language, "undo.done", text=snippet(removed[0][0].raw_text))]
    for contact, facts, policies in removed:
        parts: list[str] = []
        if contact.occurred_on:
            parts.append(t(language, "undo.what_contact", date=format_date(contact.occurred_on, language, today)))
        if contact.needs:
            parts.append(t(language, "undo.what_needs", needs=product_names(contact.needs, language)))
        if contact.amount is not None:
            parts.append(t(language, "undo.what_amount", amount=format_amount(
                contact.amount, language, contact.currency, contact.amount_max)))
        if contact.follow_up_on:
            parts.append(t(language, "undo.what_follow_up",
                           date=format_when(contact.follow_up_on, contact.follow_up_time, language, today)))
        if facts:
            parts.append(t(language, "undo.what_facts", count=facts))
        if policies:
            parts.append(t(language, "undo.what_policies", count=policies))
        if not parts:
            parts.append(t(language, "undo.what_note"))
        client = contact.client_display or contact.client_name
        lines.append(t(language, "undo.line", client=snippet(client, NAME_LENGTH) if client
                       else t(language, "recent.no_client"), what=Markup(t(language, "undo.sep").join(parts))))
    return Markup("\n".join(lines))
