"""Configuration: TOML file, then RMBOT_* environment variables on top (RMBOT_TELEGRAM__TOKEN=…).

Every key is documented in config.example.toml. A bad file gets one line naming the key.
"""

from __future__ import annotations

import os
import re
import tomllib
from datetime import time
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, SettingsError

DEFAULT_CONFIG = Path("config.toml")
ENV_PREFIX = "RMBOT_"


class ConfigError(Exception):
    """A configuration problem, said in one line."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TelegramSettings(_Section):
    token: str = ""
    # A file holding the token (systemd credentials, container secrets); used when token is empty.
    token_file: str = ""
    api_base_url: str = "https://api.telegram.org/bot"
    api_file_url: str = "https://api.telegram.org/file/bot"
    poll_timeout: int = Field(10, ge=0, le=60)
    # At start, how long an unreachable Bot API is retried (with backoff) before giving up.
    startup_retry_seconds: int = Field(300, ge=0, le=86400)
    # "polling" (no public address needed) or "webhook" (production behind HTTPS).
    mode: Literal["polling", "webhook"] = "polling"
    webhook_url: str = ""        # the public HTTPS URL Telegram posts to, e.g. https://bot.example.com/telegram
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(8443, ge=1, le=65535)
    webhook_secret: str = Field("", pattern=r"^[A-Za-z0-9_-]{0,256}$")  # checked on every request

    @model_validator(mode="after")
    def _webhook(self) -> TelegramSettings:
        if self.mode == "webhook" and not (self.webhook_url.startswith("https://") and len(self.webhook_secret) >= 16):
            raise ValueError("webhook mode needs webhook_url (https://…) and "
                             "webhook_secret (16+ letters, digits, _ or -)")
        return self

    @field_validator("api_base_url", "api_file_url")
    @classmethod
    def _url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value


class StorageSettings(_Section):
    database: str = "data/rm-assistant.sqlite3"


class AccessSettings(_Section):
    allowed_user_ids: list[int] = []
    admin_user_ids: list[int] = []
    # Supervisor's Telegram id → the RMs they oversee (team summary, /team).
    supervisors: dict[int, list[int]] = {}
    # Supervisors see counts and client names; note text only when this is true.
    supervisors_see_notes: bool = False

    def may_use(self, user_id: int) -> bool:
        return user_id in self.allowed_user_ids or user_id in self.admin_user_ids or user_id in self.supervisors


class DefaultsSettings(_Section):
    timezone: str = "Asia/Shanghai"
    language: Literal["zh", "en"] = "zh"
    digest_time: str = "08:30"
    team_time: str = "18:00"  # the supervisors' evening team summary
    currency: str = "CNY"  # ISO 4217: an amount written without a currency

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        from bot.parsing.amounts import currency_code_problem

        problem = currency_code_problem(value)
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown timezone {value!r} (use an IANA name such as Asia/Shanghai)") from None
        return value

    @field_validator("digest_time", "team_time")
    @classmethod
    def _clock(cls, value: str) -> str:
        try:
            time.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a time like 08:30") from None
        return value


class GreetingDaySettings(_Section):
    """An extra day to greet clients on, e.g. Women's Day (03-08) or Double Ninth (lunar 09-09)."""

    key: str = Field(pattern=r"^[a-z0-9_]{1,32}$")
    date: str = Field(pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")
    lunar: bool = False
    name_zh: str = Field(min_length=1, max_length=32)
    name_en: str = Field(min_length=1, max_length=32)


class RemindersSettings(_Section):
    # Festivals greeted by default (keys of [holiday] in bot/strings); extra days below.
    greetings: list[str] = ["new_year", "spring_festival", "lantern", "qingming", "dragon_boat", "mid_autumn",
                            "national_day"]
    extra_days: list[GreetingDaySettings] = []
    birthday_days: int = Field(3, ge=0, le=30)
    holiday_days: int = Field(7, ge=0, le=60)
    maturity_days: list[int] = [30, 7, 1]

    @model_validator(mode="after")
    def _known_festivals(self) -> RemindersSettings:
        from bot.reminders.calendar import FESTIVAL_KEYS

        known = FESTIVAL_KEYS | {day.key for day in self.extra_days}
        unknown = [key for key in self.greetings if key not in known]
        if unknown:
            raise ValueError(f"unknown festival {unknown[0]!r} in greetings (known: {', '.join(sorted(known))})")
        return self

    @field_validator("maturity_days")
    @classmethod
    def _positive(cls, value: list[int]) -> list[int]:
        if any(day < 0 or day > 366 for day in value):
            raise ValueError("days ahead must be between 0 and 366")
        return sorted(set(value), reverse=True)


class PushSettings(_Section):
    """Every send (replies and pushes) is paced here; defaults are Telegram's published limits."""

    # Telegram allows about 30 messages a second overall and 1 a second per chat: stay below.
    messages_per_second: float = Field(28.0, gt=0, le=30)
    seconds_per_chat: float = Field(1.0, ge=0)
    group_messages_per_minute: float = Field(20.0, gt=0, le=20)
    in_flight: int = Field(32, ge=1, le=256)           # requests to Telegram under way at once
    max_attempts: int = Field(6, ge=1, le=20)          # a push failing this often waits for a later run
    reply_give_up_seconds: float = Field(600.0, ge=1)  # a reply is retried this long before it is given up
    paid_broadcast: bool = False                       # pushes with allow_paid_broadcast (0.1 Star each)
    paid_messages_per_second: float = Field(1000.0, gt=0, le=1000)

    def limits(self):
        from bot.outbound import OutboundLimits

        return OutboundLimits(per_second=self.messages_per_second, per_chat_seconds=self.seconds_per_chat,
                              group_per_minute=self.group_messages_per_minute, in_flight=self.in_flight,
                              reply_give_up_seconds=self.reply_give_up_seconds, push_attempts=self.max_attempts,
                              paid_per_second=self.paid_messages_per_second if self.paid_broadcast else None)


class BankSettings(_Section):
    # The bank's own names and aliases (招商银行, 招行, CMB): an import row or a /review answer naming
    # one of them (or 本行) is held here, not at another bank. Empty: only 本行/我行 mean here.
    own_names: list[str] = []

    @field_validator("own_names")
    @classmethod
    def _names(cls, value: list[str]) -> list[str]:
        names = [" ".join(name.split()) for name in value]
        if any(not name or len(name) > 40 for name in names):
            raise ValueError("each name is 1 to 40 characters")
        return names


class FaqSettings(_Section):
    directory: str = ""  # empty: the curated FAQ shipped in bot/catalog/faq/


class BackupSettings(_Section):
    directory: str = "data/backups"  # rm-assistant-YYYYmmdd-HHMMSS.sqlite3 files
    daily_at: str = "02:30"          # local time ([defaults] timezone) of the daily backup; "" turns it off
    keep: int = Field(14, ge=1, le=365)

    @field_validator("daily_at")
    @classmethod
    def _clock(cls, value: str) -> str:
        if value and not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value):
            raise ValueError(f"{value!r} is not a time like 02:30 (or \"\" for no daily backup)")
        return value


class ConsoleSettings(_Section):
    user_id: int = 1
    language: Literal["zh", "en", ""] = ""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, env_nested_delimiter="__", extra="forbid")

    telegram: TelegramSettings = TelegramSettings()
    storage: StorageSettings = StorageSettings()
    access: AccessSettings = AccessSettings()
    defaults: DefaultsSettings = DefaultsSettings()
    bank: BankSettings = BankSettings()
    faq: FaqSettings = FaqSettings()
    reminders: RemindersSettings = RemindersSettings()
    push: PushSettings = PushSettings()
    backup: BackupSettings = BackupSettings()
    console: ConsoleSettings = ConsoleSettings()

    @classmethod
    def settings_customise_sources(cls, settings_cls, init_settings: PydanticBaseSettingsSource,
                                   env_settings: PydanticBaseSettingsSource, dotenv_settings, file_secret_settings):
        # The TOML file arrives as init values; the environment overrides it.
        return (env_settings, init_settings)


def load_settings(path: str | Path | None = None) -> Settings:
    """Settings from PATH (or ./config.toml when present, else defaults) plus the environment."""
    explicit = path is not None
    config_path = Path(path) if path is not None else DEFAULT_CONFIG
    data: dict = {}
    if config_path.exists():
        try:
            with config_path.open("rb") as handle:
                data = tomllib.load(handle)
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(f"{config_path}: not valid TOML ({error})") from None
        except OSError as error:
            raise ConfigError(f"{config_path}: cannot be read ({error.strerror})") from None
    elif explicit:
        raise ConfigError(f"{config_path}: no such config file")
    _check_environment()
    try:
        settings = Settings(**data)
    except SettingsError as error:
        # pydantic-settings names the field, not the variable: find the variable it came from
        section = str(error).split('"')[1] if '"' in str(error) else "?"
        names = [name for name in os.environ if name.upper().startswith(f"{ENV_PREFIX}{section.upper()}__")]
        name = names[0] if names else section
        raise ConfigError(f"environment: {name}: not a valid value (lists are JSON, e.g. [111, 222])") from None
    except ValidationError as error:
        first = error.errors()[0]
        location = [str(part) for part in first["loc"]]
        if len(location) > 1:
            key = f"[{location[0]}] {'.'.join(location[1:])}"
        else:
            key = f"[{location[0]}]" if location else "?"
        source = "environment" if any(k.startswith("RMBOT_") for k in os.environ) and not data else str(config_path)
        message = first["msg"].removeprefix("Value error, ")
        if first["type"] == "extra_forbidden":
            message = "unknown key"
        raise ConfigError(f"{source}: {key}: {message}") from None
    return _with_token_file(settings)


def _check_environment() -> None:
    """RMBOT_SECTION__KEY names a real key, or it is an error: a typo must not pass silently."""
    sections = Settings.model_fields
    for name in sorted(os.environ):
        if not name.upper().startswith(ENV_PREFIX):
            continue
        section, _, key = name[len(ENV_PREFIX):].lower().partition("__")
        model = sections.get(section)
        fields = getattr(model.annotation, "model_fields", None) if model is not None else None
        if fields is None or (key and key.split("__")[0] not in fields):
            raise ConfigError(f"environment: {name}: unknown key")


def _with_token_file(settings: Settings) -> Settings:
    """The token from [telegram] token_file when the token itself is not set."""
    telegram = settings.telegram
    if telegram.token or not telegram.token_file:
        return settings
    try:
        token = Path(telegram.token_file).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "not UTF-8 text"
        raise ConfigError(f"[telegram] token_file: {telegram.token_file}: cannot be read ({reason})") from None
    if not token:
        raise ConfigError(f"[telegram] token_file: {telegram.token_file}: is empty")
    return settings.model_copy(update={"telegram": telegram.model_copy(update={"token": token})})
