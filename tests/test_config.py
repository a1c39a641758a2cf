"""Configuration: TOML, RMBOT_ environment overrides, one clear line for a bad file."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings

ROOT = Path(__file__).resolve().parents[1]


def test_example_config_loads_and_documents_every_key(monkeypatch):
    monkeypatch.delenv("RMBOT_TELEGRAM__TOKEN", raising=False)
    settings = load_settings(ROOT / "config.example.toml")
    example = (ROOT / "config.example.toml").read_text()
    for section, model in settings:
        for key in type(model).model_fields:
            assert f"\n{key} =" in example, f"[{section}] {key} is not documented"


def test_environment_overrides_the_file(tmp_path, monkeypatch):
    path = tmp_path / "c.toml"
    path.write_text('[telegram]\ntoken = "file"\napi_base_url = "http://127.0.0.1:8081/bot"\n')
    monkeypatch.setenv("RMBOT_TELEGRAM__TOKEN", "env")
    monkeypatch.setenv("RMBOT_ACCESS__ALLOWED_USER_IDS", "[5, 6]")
    settings = load_settings(path)
    assert settings.telegram.token == "env"
    assert settings.telegram.api_base_url == "http://127.0.0.1:8081/bot"
    assert settings.access.allowed_user_ids == [5, 6]


@pytest.mark.parametrize(("content", "message"), [
    ('[telegram]\ntokn = "x"\n', "[telegram] tokn: unknown key"),
    ('[defaults]\ntimezone = "Mars/Base"\n', "[defaults] timezone: unknown timezone"),
    ('[defaults]\ndigest_time = "8.30"\n', "[defaults] digest_time"),
    ('[access]\nallowed_user_ids = "me"\n', "[access] allowed_user_ids"),
    ('[telegram]\napi_base_url = "ftp://x"\n', "[telegram] api_base_url"),
    ("[defaults\n", "not valid TOML"),
    ('[defaults]\ncurrency = "RMB"\n', "[defaults] currency: 'RMB' is not an ISO 4217 code; write CNY"),
    ('[defaults]\ncurrency = "usd"\n', "[defaults] currency: 'usd' is not an ISO 4217 code like CNY or USD"),
    ('[reminders]\ngreetings = ["xmas"]\n', "[reminders]: unknown festival 'xmas'"),
    ('[telegram]\ntoken_file = "/nonexistent/token"\n', "[telegram] token_file: /nonexistent/token: cannot be read"),
])
def test_a_bad_config_is_one_line_naming_the_key(tmp_path, content, message):
    path = tmp_path / "bad.toml"
    path.write_text(content)
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_a_missing_explicit_config_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="no such config file"):
        load_settings(tmp_path / "absent.toml")


@pytest.mark.parametrize(("name", "value", "message"), [
    ("RMBOT_ACCESS__ALLOWED_USER_IDS", "[111,", "environment: RMBOT_ACCESS__ALLOWED_USER_IDS: not a valid value"),
    ("RMBOT_FOO__BAR", "1", "environment: RMBOT_FOO__BAR: unknown key"),
    ("RMBOT_TELEGRAM__TOKN", "x", "environment: RMBOT_TELEGRAM__TOKN: unknown key"),
])
def test_a_bad_environment_variable_is_one_line_naming_it(monkeypatch, tmp_path, name, value, message):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as caught:
        load_settings(None)
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_a_greeting_may_name_a_configured_extra_day(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text('[reminders]\ngreetings = ["womens_day"]\n'
                    '[[reminders.extra_days]]\nkey = "womens_day"\ndate = "03-08"\nname_zh = "妇女节"\nname_en = "Women\'s Day"\n')
    assert load_settings(path).reminders.greetings == ["womens_day"]


def test_the_token_can_come_from_a_file(tmp_path, monkeypatch):
    monkeypatch.delenv("RMBOT_TELEGRAM__TOKEN", raising=False)
    secret = tmp_path / "token"
    secret.write_text("123:abc\n")
    path = tmp_path / "c.toml"
    path.write_text(f'[telegram]\ntoken_file = "{secret}"\n')
    assert load_settings(path).telegram.token == "123:abc"
