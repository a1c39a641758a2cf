"""Everything the bot holds about one RM, for /mydata (the RM's right to see their data)."""

from __future__ import annotations

from storage.database import Database

#: (name, query) per table; every query is scoped by the RM.
TABLES = (
    ("profile", "SELECT * FROM rms WHERE user_id = ?"),
    ("clients", "SELECT * FROM clients WHERE rm_id = ? ORDER BY id"),
    ("client_aliases", "SELECT a.* FROM client_aliases a JOIN clients c ON c.id = a.client_id WHERE c.rm_id = ?"),
    ("contacts", "SELECT * FROM contacts WHERE rm_id = ? ORDER BY id"),
    ("contact_needs", "SELECT n.* FROM contact_needs n JOIN contacts k ON k.id = n.contact_id WHERE k.rm_id = ?"),
    ("follow_ups", "SELECT * FROM follow_ups WHERE rm_id = ? ORDER BY id"),
    ("holdings", "SELECT * FROM holdings WHERE rm_id = ? ORDER BY id"),
    ("client_facts", "SELECT * FROM client_facts WHERE rm_id = ? ORDER BY id"),
    ("reviews", "SELECT * FROM reviews WHERE rm_id = ? ORDER BY id"),
    ("review_items", "SELECT i.* FROM review_items i JOIN reviews r ON r.id = i.review_id WHERE r.rm_id = ?"),
    ("review_prompts", "SELECT * FROM review_prompts WHERE rm_id = ?"),
    ("snoozes", "SELECT * FROM reminder_snoozes WHERE rm_id = ?"),
    ("awaited", "SELECT * FROM awaited_values WHERE rm_id = ?"),
    ("deliveries", "SELECT * FROM deliveries WHERE rm_id = ? ORDER BY id"),
    ("faq_questions", "SELECT * FROM faq_questions WHERE rm_id = ? ORDER BY id"),
    ("audit", "SELECT * FROM audit_log WHERE actor_id = ? ORDER BY id"),
    ("handled_updates", "SELECT * FROM update_log WHERE user_id = ? ORDER BY update_id"),
)


async def everything_about(db: Database, rm_id: int) -> dict[str, list[dict]]:
    return {name: [dict(row) for row in await db.fetch_all(sql, (rm_id,))] for name, sql in TABLES}
