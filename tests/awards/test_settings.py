"""Settings: defaults from config/settings.toml, overridden by AWARDS_* variables, checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from awards.errors import ConfigurationError
from awards.settings import load_settings

DEFAULTS = Path(__file__).resolve().parents[2] / "config" / "settings.toml"


def test_defaults_need_no_configuration_and_use_embedded_sqlite() -> None:
    settings = load_settings({}, defaults_file=DEFAULTS)

    assert settings.database_url == "sqlite+aiosqlite:///var/awards.db"
    assert settings.smtp_tls == "none"


def test_an_environment_variable_overrides_its_default() -> None:
    settings = load_settings(
        {
            "AWARDS_DATABASE_URL": "postgresql+asyncpg://awards@db/awards",
            "AWARDS_SMTP_PORT": "2525",
        },
        defaults_file=DEFAULTS,
    )

    assert (settings.database_url, settings.smtp_port) == (
        "postgresql+asyncpg://awards@db/awards",
        2525,
    )


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        (
            {"AWARDS_SMTP_PORT": "twenty-five"},
            "AWARDS_SMTP_PORT must be a port number, not 'twenty-five'",
        ),
        (
            {"AWARDS_SMTP_TLS": "ssl"},
            "AWARDS_SMTP_TLS must be one of none, starttls, tls, not 'ssl'",
        ),
        (
            {"AWARDS_DATABASE_URL": "mysql://db/awards"},
            "AWARDS_DATABASE_URL must start with sqlite+aiosqlite:// or postgresql+asyncpg://",
        ),
    ],
)
def test_a_malformed_value_stops_start_up_naming_the_variable(
    environ: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigurationError) as raised:
        load_settings(environ, defaults_file=DEFAULTS)

    assert raised.value.message == message


def test_a_setting_with_no_default_and_no_variable_is_named(tmp_path: Path) -> None:
    partial = tmp_path / "settings.toml"
    partial.write_text('database_url = "sqlite+aiosqlite:///x.db"\n', encoding="utf-8")

    with pytest.raises(ConfigurationError) as raised:
        load_settings({}, defaults_file=partial)

    assert raised.value.message == f"AWARDS_DATA_DIR is not set and {partial} has no default"
