"""Where the uploads live, from the settings: the one place a `FileStore` is opened.

`AWARDS_STORAGE_URL` empty (the default): blobs on local disk under `AWARDS_DATA_DIR`.
`s3://bucket/prefix`: blobs in S3-compatible object storage, reached at
`AWARDS_S3_ENDPOINT_URL` (empty: AWS itself) in `AWARDS_S3_REGION`, with
`AWARDS_S3_ACCESS_KEY_ID` and `AWARDS_S3_SECRET_ACCESS_KEY` (empty: boto3's own chain, e.g.
an instance role). Uploads are staged under `AWARDS_DATA_DIR/tmp` either way.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from awards.errors import ConfigurationError
from awards.settings import Settings
from awards.storage.blobs import FileStore, LocalFileStore

_BUCKET_NAME_SIZE = range(3, 64)


@dataclass(frozen=True)
class S3Location:
    bucket: str
    prefix: str
    """Without leading or trailing slashes; may be empty."""


def s3_location(storage_url: str) -> S3Location | None:
    """The bucket and prefix `AWARDS_STORAGE_URL` names; None for local disk."""
    if not storage_url:
        return None
    parts = urlsplit(storage_url)
    if parts.scheme != "s3" or not parts.netloc or parts.query or parts.fragment:
        raise ConfigurationError(
            f"AWARDS_STORAGE_URL must be empty (local disk) or s3://bucket/prefix, "
            f"not {storage_url!r}"
        )
    if len(parts.netloc) not in _BUCKET_NAME_SIZE or parts.netloc != parts.netloc.lower():
        raise ConfigurationError(
            f"AWARDS_STORAGE_URL names {parts.netloc!r}, which is no S3 bucket name "
            "(3 to 63 lower-case letters, digits, dots and hyphens)"
        )
    return S3Location(bucket=parts.netloc, prefix=parts.path.strip("/"))


def open_store(settings: Settings) -> FileStore:
    """The store the settings name; S3 is imported only when configured."""
    location = s3_location(settings.storage_url)
    local = LocalFileStore(settings.data_dir)
    if location is None:
        return local
    from awards.storage.s3 import S3FileStore, s3_client

    return S3FileStore(s3_client(settings), location.bucket, location.prefix, staging=local)
