"""Settings: `config/settings.toml` defaults, overridden by `AWARDS_*` environment variables."""

from __future__ import annotations

import ipaddress
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from email.utils import parseaddr
from pathlib import Path

from awards.errors import ConfigurationError

PREFIX = "AWARDS_"
SMTP_TLS_MODES = ("none", "starttls", "tls")
MAIL_TRANSPORTS = ("smtp", "mailbox")
WORKER_IN_PROCESS_MODES = ("auto", "true", "false")
LOG_LEVELS = ("debug", "info", "warning", "error")
DEMO_SECRET_KEY = "change-me-in-production"
"""`config/settings.toml`'s key: anyone can read it, so anyone could sign cookies and compute
the jury's pseudonyms with it."""


@dataclass(frozen=True)
class Settings:
    """Everything configurable, read once at start-up."""

    database_url: str
    """SQLAlchemy async URL; `sqlite+aiosqlite:///...` (default) or `postgresql+asyncpg://...`."""
    data_dir: Path
    """Where uploads are stored."""
    config_dir: Path
    """Holds `calls/*.yaml`."""
    base_url: str
    """Public address of the service, used in links sent by e-mail."""
    secret_key: str
    """Signs session cookies and login links."""
    smtp_host: str
    smtp_port: int
    smtp_user: str
    smtp_password: str
    smtp_tls: str
    """`none`, `starttls` or `tls` (implicit TLS)."""
    mail_from: str
    worker_in_process: str
    """`auto` (inside `awards serve` on SQLite only, where no separate worker is expected),
    `true` or `false`: whether the web service also delivers the outbox."""
    metrics_token: str = ""
    """When set, `/metrics` answers only `Authorization: Bearer <metrics_token>`; empty: anyone
    who can reach the service may read the metrics (restrict it at the network instead)."""
    ready_timeout: float = 2.0
    """Seconds `/ready` waits for each of the database and the SMTP server."""
    mail_retry_seconds: float = 30.0
    """The wait after a mail's first failed attempt; each further one doubles it (up to an
    hour), so a relay that was down is retried soon, and one that stays down is not hammered."""
    log_level: str = "info"
    """`debug`, `info`, `warning` or `error`: the least severe log line written."""
    databank_webhook_url: str = ""
    """When set, the worker POSTs each databank change there as signed JSON
    (`awards.databank.webhook`); empty: nothing is queued for it."""
    databank_webhook_secret: str = ""
    """The HMAC-SHA256 key of the `X-Awards-Signature` header; required with the URL."""
    mail_transport: str = "smtp"
    """`smtp`: mail goes to the SMTP server above. `mailbox`: for a demo, mail is kept in
    `mailbox_dir` instead, and anyone who reaches the service reads it at `/mailbox`, sign-in
    links included (`awards.notify.mailbox`); `make run` turns it on."""
    mailbox_dir: Path = Path("var/mailbox")
    """Where the `mailbox` transport keeps the mail, one `.eml` file per message."""
    storage_url: str = ""
    """Empty: uploads on local disk under `data_dir`. `s3://bucket/prefix`: in that
    (versioned) bucket of S3-compatible storage (`awards.storage.location`)."""
    s3_endpoint_url: str = ""
    """The S3-compatible service's address; empty: AWS."""
    s3_region: str = ""
    s3_access_key_id: str = ""
    """Empty (with the secret): boto3 finds credentials itself (environment, instance role)."""
    s3_secret_access_key: str = ""
    pdf_max_pages: int = 300
    """The most pages an uploaded PDF may have: an anonymised jury receives each PDF rebuilt
    page by page (`awards.jury.pdf_metadata`), and a longer one is refused at upload."""
    trusted_proxies: tuple[str, ...] = ()
    """Addresses (or networks) of the proxies in front of the service: only a request from one
    of them has its `X-Forwarded-For` and `X-Forwarded-Proto` believed; empty: none is, and the
    client is the peer address."""

    def check_secret_key(self) -> None:
        """Refuse to serve on the published demo key, except for the demo (the `mailbox`
        transport already shows every sign-in link to whoever asks)."""
        if self.secret_key in ("", DEMO_SECRET_KEY) and not self.keeps_mail_in_mailbox:
            raise ConfigurationError(
                f"{PREFIX}SECRET_KEY is the demo's published key: set it to a long random "
                "secret (e.g. `python -c 'import secrets; print(secrets.token_urlsafe(32))'`), "
                "the same for every process"
            )

    @property
    def keeps_mail_in_mailbox(self) -> bool:
        return self.mail_transport == "mailbox"

    @property
    def runs_worker_in_process(self) -> bool:
        if self.worker_in_process == "auto":
            return self.database_url.startswith("sqlite")
        return self.worker_in_process == "true"

    @property
    def templates_dir(self) -> Path:
        return self.config_dir.parent / "templates"


def load_settings(
    environ: Mapping[str, str], *, defaults_file: Path = Path("config/settings.toml")
) -> Settings:
    """Build `Settings` from the defaults file and `environ`; a bad value names its variable."""
    values: dict[str, object] = {}
    if defaults_file.exists():
        values.update(tomllib.loads(defaults_file.read_text(encoding="utf-8")))
    for field in fields(Settings):
        variable = PREFIX + field.name.upper()
        if variable in environ:
            values[field.name] = environ[variable]
        if field.name not in values:
            raise ConfigurationError(f"{variable} is not set and {defaults_file} has no default")
    try:
        port = int(str(values["smtp_port"]))
    except ValueError:
        raise ConfigurationError(
            f"{PREFIX}SMTP_PORT must be a port number, not {values['smtp_port']!r}"
        ) from None
    if values["smtp_tls"] not in SMTP_TLS_MODES:
        raise ConfigurationError(
            f"{PREFIX}SMTP_TLS must be one of {', '.join(SMTP_TLS_MODES)}, "
            f"not {values['smtp_tls']!r}"
        )
    _check_smtp(values, port=port)
    worker_in_process = str(values["worker_in_process"]).lower()
    if worker_in_process not in WORKER_IN_PROCESS_MODES:
        raise ConfigurationError(
            f"{PREFIX}WORKER_IN_PROCESS must be one of {', '.join(WORKER_IN_PROCESS_MODES)}, "
            f"not {values['worker_in_process']!r}"
        )
    ready_timeout = _seconds(values, "ready_timeout", most=60)
    mail_retry_seconds = _seconds(values, "mail_retry_seconds", most=3600)
    log_level = str(values["log_level"]).lower()
    if log_level not in LOG_LEVELS:
        raise ConfigurationError(
            f"{PREFIX}LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, not {values['log_level']!r}"
        )
    webhook_url, webhook_secret = _webhook(values)
    mail_transport = str(values["mail_transport"]).lower()
    if mail_transport not in MAIL_TRANSPORTS:
        raise ConfigurationError(
            f"{PREFIX}MAIL_TRANSPORT must be one of {', '.join(MAIL_TRANSPORTS)}, "
            f"not {values['mail_transport']!r}"
        )
    url = str(values["database_url"])
    if not url.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
        raise ConfigurationError(
            f"{PREFIX}DATABASE_URL must start with sqlite+aiosqlite:// or postgresql+asyncpg://"
        )
    return Settings(
        database_url=url,
        data_dir=Path(str(values["data_dir"])),
        config_dir=Path(str(values["config_dir"])),
        base_url=str(values["base_url"]).rstrip("/"),
        secret_key=str(values["secret_key"]),
        smtp_host=str(values["smtp_host"]),
        smtp_port=port,
        smtp_user=str(values["smtp_user"]),
        smtp_password=str(values["smtp_password"]),
        smtp_tls=str(values["smtp_tls"]),
        mail_from=str(values["mail_from"]),
        worker_in_process=worker_in_process,
        metrics_token=str(values["metrics_token"]),
        ready_timeout=ready_timeout,
        mail_retry_seconds=mail_retry_seconds,
        log_level=log_level,
        databank_webhook_url=webhook_url,
        databank_webhook_secret=webhook_secret,
        mail_transport=mail_transport,
        mailbox_dir=Path(str(values["mailbox_dir"])),
        storage_url=str(values["storage_url"]).strip(),
        s3_endpoint_url=str(values["s3_endpoint_url"]).strip(),
        s3_region=str(values["s3_region"]).strip(),
        s3_access_key_id=str(values["s3_access_key_id"]),
        s3_secret_access_key=str(values["s3_secret_access_key"]),
        trusted_proxies=_proxies(values),
        pdf_max_pages=_count(values, "pdf_max_pages", most=100_000),
    )


def _count(values: Mapping[str, object], name: str, *, most: int) -> int:
    """A whole-number setting from 1 to `most`."""
    try:
        count = int(str(values[name]))
    except ValueError:
        count = 0
    if not 0 < count <= most:
        raise ConfigurationError(
            f"{PREFIX}{name.upper()} must be a whole number from 1 to {most}, not {values[name]!r}"
        )
    return count


def _proxies(values: Mapping[str, object]) -> tuple[str, ...]:
    """The comma-separated addresses or networks of `trusted_proxies`, each checked."""
    proxies = tuple(
        item.strip() for item in str(values["trusted_proxies"]).split(",") if item.strip()
    )
    for proxy in proxies:
        try:
            ipaddress.ip_network(proxy)
        except ValueError:
            raise ConfigurationError(
                f"{PREFIX}TRUSTED_PROXIES must list IP addresses or networks (e.g. "
                f"10.0.0.5, 10.1.0.0/16), not {proxy!r}"
            ) from None
    return proxies


def _seconds(values: Mapping[str, object], name: str, *, most: float) -> float:
    """A duration setting: more than 0 and at most `most` seconds."""
    try:
        seconds = float(str(values[name]))
    except ValueError:
        seconds = -1.0
    if not 0 < seconds <= most:
        raise ConfigurationError(
            f"{PREFIX}{name.upper()} must be a number of seconds from 0 to {most:g}, "
            f"not {values[name]!r}"
        )
    return seconds


def _webhook(values: Mapping[str, object]) -> tuple[str, str]:
    """The external databank's address and key: both or neither."""
    url = str(values["databank_webhook_url"]).strip()
    secret = str(values["databank_webhook_secret"])
    if url and not url.startswith(("http://", "https://")):
        raise ConfigurationError(
            f"{PREFIX}DATABANK_WEBHOOK_URL must start with http:// or https://, not {url!r}"
        )
    if url and not secret:
        raise ConfigurationError(
            f"{PREFIX}DATABANK_WEBHOOK_URL is set but {PREFIX}DATABANK_WEBHOOK_SECRET is empty: "
            "the receiver could not check what it is sent"
        )
    return url, secret


def _check_smtp(values: Mapping[str, object], *, port: int) -> None:
    """Refuse SMTP settings no server could accept, before any mail waits on them."""
    if not str(values["smtp_host"]).strip():
        raise ConfigurationError(f"{PREFIX}SMTP_HOST is empty: mail could not be delivered")
    if not 0 < port < 65536:
        raise ConfigurationError(f"{PREFIX}SMTP_PORT must be between 1 and 65535, not {port}")
    if values["smtp_user"] and not values["smtp_password"]:
        raise ConfigurationError(
            f"{PREFIX}SMTP_USER is set but {PREFIX}SMTP_PASSWORD is empty: "
            "set both to log in, or neither"
        )
    if "@" not in parseaddr(str(values["mail_from"]))[1]:
        raise ConfigurationError(
            f"{PREFIX}MAIL_FROM must hold an e-mail address, not {values['mail_from']!r}"
        )
