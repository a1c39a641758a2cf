"""GET /healthz for load balancers in webhook mode: is this instance fit to take Telegram's updates?

Unhealthy (503) only when the database takes no writes, since then every note would be refused;
a quiet hour without updates, or a queue of replies waiting out Telegram's rate limits, is
reported but is no reason to take the instance out of service. The body names ids and counts only.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from telegram.ext import Application

from bot.context import BotData

#: How long the write probe may wait for the database's lock before the check says "locked".
PROBE_TIMEOUT = 2.0


@dataclass(frozen=True)
class Health:
    database: str                     # "ok", or why writes fail (locked, read_only, disk_full, ...)
    last_update_seconds: float | None  # since the last webhook POST or getUpdates answer; None: none yet
    updates_in_progress: int
    waiting_replies: int | None       # the outbound queue (bot/outbound.py); None before it exists
    waiting_pushes: int | None

    @property
    def ok(self) -> bool:
        return self.database == "ok"

    def answer(self) -> tuple[int, dict[str, Any]]:
        """(HTTP status, JSON body)."""
        return (200 if self.ok else 503), {"status": "ok" if self.ok else "fail", **asdict(self)}


async def check_health(application: Application, now: float) -> Health:
    """Probe the database with one real write and read the rest from the running bot.
    `now` is the monotonic clock the updater stamps its last update with."""
    data: BotData = application.bot_data
    repo = data.repo
    database = "closed" if repo is None else (await repo.db.probe_write(PROBE_TIMEOUT) or "ok")
    updater = application.updater
    last = getattr(updater, "last_update_at", None)
    in_progress = getattr(updater, "in_progress", 0)
    stats = data.outbound.stats if data.outbound is not None else None  # every send goes through it
    return Health(database=database,
                  last_update_seconds=None if last is None else round(max(0.0, now - last), 1),
                  updates_in_progress=in_progress,
                  waiting_replies=stats.waiting_replies if stats else None,
                  waiting_pushes=stats.waiting_pushes if stats else None)
