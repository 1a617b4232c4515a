"""The operations settings: defaults, and a malformed value that names its variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from awards.errors import ConfigurationError
from awards.settings import load_settings

DEFAULTS = Path(__file__).resolve().parents[3] / "config" / "settings.toml"


def test_metrics_are_open_readiness_waits_two_seconds_and_logs_start_at_info() -> None:
    settings = load_settings({}, defaults_file=DEFAULTS)

    assert (settings.metrics_token, settings.ready_timeout, settings.log_level) == ("", 2.0, "info")


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        (
            "AWARDS_READY_TIMEOUT",
            "soon",
            "AWARDS_READY_TIMEOUT must be a number of seconds from 0 to 60, not 'soon'",
        ),
        (
            "AWARDS_READY_TIMEOUT",
            "0",
            "AWARDS_READY_TIMEOUT must be a number of seconds from 0 to 60, not '0'",
        ),
        (
            "AWARDS_MAIL_RETRY_SECONDS",
            "-5",
            "AWARDS_MAIL_RETRY_SECONDS must be a number of seconds from 0 to 3600, not '-5'",
        ),
        (
            "AWARDS_LOG_LEVEL",
            "chatty",
            "AWARDS_LOG_LEVEL must be one of debug, info, warning, error, not 'chatty'",
        ),
    ],
)
def test_a_malformed_operations_setting_names_its_variable(
    variable: str, value: str, message: str
) -> None:
    with pytest.raises(ConfigurationError) as refused:
        load_settings({variable: value}, defaults_file=DEFAULTS)

    assert refused.value.message == message


def test_the_metrics_token_and_timeout_come_from_the_environment() -> None:
    settings = load_settings(
        {
            "AWARDS_METRICS_TOKEN": "t0ken",
            "AWARDS_READY_TIMEOUT": "0.25",
            "AWARDS_LOG_LEVEL": "DEBUG",
        },
        defaults_file=DEFAULTS,
    )

    assert (settings.metrics_token, settings.ready_timeout, settings.log_level) == (
        "t0ken",
        0.25,
        "debug",
    )
