"""Every user-facing string, keyed, one catalog per language (en.toml, zh.toml).

Values interpolated into a string are HTML-escaped unless wrapped in Markup, so user text can
never become markup by accident.
"""

from __future__ import annotations

import html
import string
import tomllib
from functools import cache
from pathlib import Path

LANGUAGES = ("zh", "en")
_DIR = Path(__file__).parent


class Markup(str):
    """Text that is already safe HTML (built by us from escaped parts)."""


@cache
def catalog(language: str) -> dict[str, str]:
    with (_DIR / f"{language}.toml").open("rb") as handle:
        return _flatten(tomllib.load(handle))


def _flatten(data: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def language_of(code: str | None, default: str = "zh") -> str:
    """The catalog for a Telegram language_code: zh-hans, zh-TW → zh; en-US → en; else default."""
    if code:
        base = code.split("-")[0].lower()
        if base in LANGUAGES:
            return base
    return default


def t(language: str, key: str, /, **values) -> Markup:
    """The string for key in language, with values escaped into it."""
    template = catalog(language if language in LANGUAGES else "zh")[key]
    safe = {name: value if isinstance(value, Markup) else html.escape(str(value), quote=False)
            for name, value in values.items()}
    return Markup(template.format(**safe))


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}
