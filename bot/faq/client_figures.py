"""A question about one client's own figures ("刘建国账户余额多少", "what is Sarah Wong's balance")
is a look-up in the RM's own data, not an FAQ topic: the bot points to the client's card instead of
answering with whichever rule shares its words (the confidentiality entry answered "不可以…" to the
first before). Pure: the question and the RM's clients in, the client asked about (or None) out."""

from __future__ import annotations

import re
from collections.abc import Iterable

from storage.records import Client

#: Words that ask for a client's figures: a balance, holdings, assets or deposits held, net worth.
_FIGURES = re.compile(
    r"余额|持仓|(?:有|存了?)多少(?:钱|存款|资产|理财)?|(?:资产|存款|理财|贷款)(?:有|是)?多少|总资产|"
    r"(?<![A-Za-z])(?:balance|balances|holdings|net\s+worth|portfolio|how\s+much\s+(?:money\s+)?(?:does|did|has|have))(?![A-Za-z])",
    re.IGNORECASE)
_LATIN = re.compile(r"[A-Za-z]")


def _named(question: str, name: str) -> bool:
    if len(name) < 2:
        return False
    if _LATIN.search(name):
        return re.search(rf"(?<![A-Za-z]){re.escape(name)}(?![A-Za-z])", question, re.IGNORECASE) is not None
    return name in question


def client_asked_about(question: str, clients: Iterable[Client]) -> Client | None:
    """The one client whose figures the question asks for, by name or alias; None when it asks for no
    figures, names none of the RM's clients, or names several."""
    if not _FIGURES.search(question):
        return None
    named = [c for c in clients if any(_named(question, n) for n in (c.name, *c.aliases))]
    return named[0] if len(named) == 1 else None
