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


def test_the_demos_secret_key_is_refused_except_with_the_demos_mailbox() -> None:
    production = load_settings({}, defaults_file=DEFAULTS)
    demo = load_settings({"AWARDS_MAIL_TRANSPORT": "mailbox"}, defaults_file=DEFAULTS)
    own = load_settings({"AWARDS_SECRET_KEY": "k7Q-own-secret"}, defaults_file=DEFAULTS)

    with pytest.raises(ConfigurationError) as raised:
        production.check_secret_key()
    demo.check_secret_key()
    own.check_secret_key()

    assert "AWARDS_SECRET_KEY" in raised.value.message


def test_trusted_proxies_are_addresses_or_networks() -> None:
    trusted = load_settings(
        {"AWARDS_TRUSTED_PROXIES": "10.0.0.5, 10.1.0.0/16,::1"}, defaults_file=DEFAULTS
    )

    with pytest.raises(ConfigurationError) as raised:
        load_settings({"AWARDS_TRUSTED_PROXIES": "proxy.local"}, defaults_file=DEFAULTS)

    assert trusted.trusted_proxies == ("10.0.0.5", "10.1.0.0/16", "::1")
    assert load_settings({}, defaults_file=DEFAULTS).trusted_proxies == ()
    assert raised.value.message.startswith("AWARDS_TRUSTED_PROXIES must list IP addresses")
