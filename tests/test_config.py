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
