"""Secrets a mail carries that the outbox must not keep: a sign-in or invitation link's token.

The mail is rendered when queued (what is sent is what was shown), with a seal in the token's
place: `[[seal:SEED]]`, SEED random. Only what sends the mail opens the seal, into the token
HMAC(key, SEED) with a key derived from `AWARDS_SECRET_KEY`. So a reader of the database, or of
a backup, finds seeds and the tokens' SHA-256, and cannot sign in with either.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

SEAL = re.compile(r"\[\[seal:([\w-]{43})\]\]")


def sealed_token(secret_key: str) -> tuple[str, str]:
    """A new token (256 bits) and the seal a mail holds in its place."""
    seed = secrets.token_urlsafe(32)
    return _opened(seed, secret_key=secret_key), f"[[seal:{seed}]]"


def unseal(text: str, *, secret_key: str) -> str:
    """`text` with each seal opened into its token, as it is sent."""
    return SEAL.sub(lambda found: _opened(found[1], secret_key=secret_key), text)


def _opened(seed: str, *, secret_key: str) -> str:
    key = hashlib.sha256(b"awards mail seal\0" + secret_key.encode()).digest()
    token = hmac.new(key, seed.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(token).rstrip(b"=").decode()
