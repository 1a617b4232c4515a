"""Mail settings that could never work stop start-up, naming the variable to fix."""

from __future__ import annotations

import pytest

from awards.errors import ConfigurationError
from awards.settings import load_settings
from conftest import ROOT

DEFAULTS = ROOT / "config" / "settings.toml"


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        (
            {"AWARDS_SMTP_USER": "awards"},
            "AWARDS_SMTP_USER is set but AWARDS_SMTP_PASSWORD is empty: "
            "set both to log in, or neither",
        ),
        ({"AWARDS_SMTP_HOST": " "}, "AWARDS_SMTP_HOST is empty: mail could not be delivered"),
        ({"AWARDS_SMTP_PORT": "0"}, "AWARDS_SMTP_PORT must be between 1 and 65535, not 0"),
        ({"AWARDS_SMTP_PORT": "70000"}, "AWARDS_SMTP_PORT must be between 1 and 65535, not 70000"),
        (
            {"AWARDS_MAIL_FROM": "Awards"},
            "AWARDS_MAIL_FROM must hold an e-mail address, not 'Awards'",
        ),
        (
            {"AWARDS_WORKER_IN_PROCESS": "sometimes"},
            "AWARDS_WORKER_IN_PROCESS must be one of auto, true, false, not 'sometimes'",
        ),
    ],
)
def test_unusable_mail_settings_stop_start_up_naming_the_variable(
    environ: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigurationError) as raised:
        load_settings(environ, defaults_file=DEFAULTS)

    assert raised.value.message == message


def test_a_tls_mode_on_an_unusual_port_is_accepted_as_given() -> None:
    settings = load_settings(
        {"AWARDS_SMTP_TLS": "tls", "AWARDS_SMTP_PORT": "587"}, defaults_file=DEFAULTS
    )

    assert (settings.smtp_tls, settings.smtp_port) == ("tls", 587)


@pytest.mark.parametrize(
    ("database_url", "mode", "in_process"),
    [
        ("sqlite+aiosqlite:///var/awards.db", "auto", True),
        ("postgresql+asyncpg://awards@db/awards", "auto", False),
        ("postgresql+asyncpg://awards@db/awards", "TRUE", True),
        ("sqlite+aiosqlite:///var/awards.db", "false", False),
    ],
)
def test_the_web_service_runs_the_worker_itself_on_sqlite_unless_told_otherwise(
    database_url: str, mode: str, in_process: bool
) -> None:
    settings = load_settings(
        {"AWARDS_DATABASE_URL": database_url, "AWARDS_WORKER_IN_PROCESS": mode},
        defaults_file=DEFAULTS,
    )

    assert settings.runs_worker_in_process is in_process
