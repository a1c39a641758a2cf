"""Storing an imported clients or holdings file in an RM's book (shared by the bot and the CLI).

Reading and validating is pure (bot.imports); this stores the good rows (a re-import updates,
never duplicates) and says what happened, bad rows by line number and reason.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from datetime import date, datetime

from bot.banks import is_own_bank
from bot.client_profile import PROFILE_FIELDS, facts_of, read_profile_field
from bot.imports import ImportFileError, RowError, detect_kind, parse_clients, parse_holdings
from bot.parsing.profile import OtherBankAsset, ProfileFacts
from bot.strings import Markup, t
from storage import Repository

KINDS = ("clients", "holdings")
#: Words in a caption or on the command line that say which kind a file is.
KIND_WORDS = {"clients": "clients", "client": "clients", "客户": "clients", "客户名单": "clients",
              "holdings": "holdings", "holding": "holdings", "持仓": "holdings", "产品": "holdings"}
ERRORS_SHOWN = 15


@dataclass(frozen=True)
class ImportReport:
    kind: str | None
    added: int = 0
    updated: int = 0
    new_clients: int = 0
    errors: tuple[RowError, ...] = ()
    file_error: ImportFileError | None = None
    other_bank: int = 0     # rows held at another bank, filed on the client's profile for the next /review
    own_bank: int = 0       # rows whose bank cell named the RM's own bank ([bank] own_names): held here
    own_names: tuple[str, ...] = ()       # how the file wrote the own bank
    banks_named: tuple[str, ...] = ()     # the other banks the file named, when no own bank is configured

    def to_json(self) -> dict:
        return {"kind": self.kind, "added": self.added, "updated": self.updated, "new_clients": self.new_clients,
                "other_bank": self.other_bank, "own_bank": self.own_bank,
                "errors": [{"line": e.line, "error": e.key, **{k: str(v) for k, v in e.values.items()}}
                           for e in self.errors],
                "file_error": self.file_error.key if self.file_error else None}


async def import_file(repo: Repository, rm_id: int, kind: str | None, filename: str, content: bytes,
                      now: datetime, own_banks: tuple[str, ...] = ()) -> ImportReport:
    """Store a file's good rows for the RM; `kind` None means: tell from the header. `own_banks`
    ([bank] own_names): a holdings row naming one of them is held here, not at another bank.

    Reading the file (a maximum-size XLSX takes seconds) runs in a worker thread, so every other
    RM is served meanwhile; this RM's later updates still wait (their order is kept), and the
    rows are stored afterwards in one transaction, as before.
    """
    try:
        kind = kind or await asyncio.to_thread(detect_kind, filename, content)
        if kind == "clients":
            result = await asyncio.to_thread(parse_clients, filename, content)
            added, updated = await repo.clients.import_rows(rm_id, result.rows, now)
            await _import_profiles(repo, rm_id, result.rows, now)
            return ImportReport(kind, added, updated, 0, result.errors)
        if kind == "holdings":
            holdings = await asyncio.to_thread(parse_holdings, filename, content, own_banks)
            ids, created = await repo.clients.ids_for_names(rm_id, {row.client for row in holdings.rows}, now)
            rows = [(ids[row.client], row.product, row.name, row.amount, row.start_date, row.maturity_date,
                     row.currency, row.cover) for row in holdings.rows if not row.other_bank]
            added, updated = await repo.holdings.upsert(rm_id, rows, now)
            elsewhere = [row for row in holdings.rows if row.other_bank]
            for row in elsewhere:  # assets at other banks: profile facts the next /review counts
                asset = OtherBankAsset(row.product, row.amount, row.currency, row.bank)
                await repo.client_facts.add(rm_id, ids[row.client], facts_of(ProfileFacts(other_bank=(asset,)),
                                                                               now.date()), now)
            own = [row.own_bank for row in holdings.rows if row.own_bank]
            await _drop_own_bank_assets(repo, rm_id, {ids[row.client] for row in holdings.rows if row.own_bank},
                                        own_banks)
            named = () if own_banks else tuple(dict.fromkeys(row.bank for row in elsewhere if row.bank))
            return ImportReport(kind, added, updated, created, holdings.errors, other_bank=len(elsewhere),
                                own_bank=len(own), own_names=tuple(dict.fromkeys(own)), banks_named=named)
        return ImportReport(None, file_error=ImportFileError("imported.unknown_kind"))
    except ImportFileError as error:
        return ImportReport(kind, file_error=error)


async def _import_profiles(repo: Repository, rm_id: int, rows, now: datetime) -> None:
    """Profile columns (risk level, how to reach, hobbies, cautions, family) as facts; a re-import replaces."""
    with_profile = [row for row in rows if row.profile]
    if not with_profile:
        return
    ids, _ = await repo.clients.ids_for_names(rm_id, {row.name for row in with_profile}, now)
    for row in with_profile:
        # a risk level without its assessment date counts as not assessed recently (date.min), never as today's
        assessed_on = row.risk_assessed_on or date.min
        for field, value in row.profile:
            facts = read_profile_field(field, value, assessed_on if field == "risk_level" else now.date())
            kinds = PROFILE_FIELDS[field] or ("family",)
            await repo.client_facts.add(rm_id, ids[row.name], facts, now, replace_kinds=kinds)


async def _drop_own_bank_assets(repo: Repository, rm_id: int, client_ids: set[int], own_banks: tuple[str, ...]) -> None:
    """An earlier import (before [bank] own_names was set) filed the own bank's rows as another bank's
    assets; now that they are holdings here, those facts would count them twice in /review."""
    for client_id in client_ids:
        for fact in await repo.client_facts.for_client(rm_id, client_id):
            if fact.kind != "other_bank":
                continue
            try:
                bank = json.loads(fact.value).get("bank")
            except (ValueError, AttributeError):
                continue
            if isinstance(bank, str) and is_own_bank(bank, own_banks):
                await repo.client_facts.remove(rm_id, fact.id, "other_bank")


def compose_import_report(report: ImportReport, language: str) -> Markup:
    """What was loaded and, line by line, what was not: one short message."""
    if report.file_error is not None:
        return t(language, "imported.failed", reason=t(language, report.file_error.key, **report.file_error.values))
    lines = [t(language, f"imported.summary_{report.kind}", added=report.added, updated=report.updated,
               bad=len(report.errors))]
    if report.new_clients:
        lines.append(t(language, "imported.new_clients", count=report.new_clients))
    if report.own_bank:
        lines.append(t(language, "imported.own_bank", count=report.own_bank, bank="、".join(report.own_names[:3])
                       if language == "zh" else ", ".join(report.own_names[:3])))
    if report.other_bank:
        lines.append(t(language, "imported.other_bank", count=report.other_bank))
    if report.banks_named:
        names = ("、" if language == "zh" else ", ").join(report.banks_named[:5])
        lines.append(t(language, "imported.which_is_own", banks=names))
    for error in report.errors[:ERRORS_SHOWN]:
        lines.append(t(language, "imported.error_line", line=error.line, reason=t(language, error.key, **error.values)))
    if len(report.errors) > ERRORS_SHOWN:
        lines.append(t(language, "imported.more_errors", count=len(report.errors) - ERRORS_SHOWN))
    return Markup("\n".join(lines))
