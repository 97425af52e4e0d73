"""Customer ids as those who may not see personal data are shown them: opaque tokens.

A customer's id can be personal data: a Taobao export's buyer key is the buyer's account
nickname (买家会员名), JD's the ordering account (下单帐号), and an import keeps them as ids
(``taobao_shop:jessie_lee``), not as keyed pseudonyms as it does phones and e-mails. A
viewer is therefore shown each id as a token: the id encrypted, deterministically and
authenticated, with AES-SIV (RFC 5297) under a key derived from the workspace's own
secret (``privacy.key``, owner-only, see :meth:`Workspace.secret_key`). The same id
always gives the same token (links and bookmarks stay stable), a token opens back to
its id without any stored map, and a token this workspace did not make (or a real id
sent in its place) opens to nothing. The id is padded to a multiple of 16 bytes first,
so a token does not tell an id's exact length.
"""

from __future__ import annotations

import base64
import binascii
import functools

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESSIV
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from kequn.store.workspace import Workspace

#: What every token starts with (so a reader can tell one from an id).
PREFIX = "c-"
#: Longer texts are no token of ours (ids are far shorter): refused before decoding.
MAX_TOKEN = 2048
_INFO = b"kequn: customer ids shown to those who do not see personal data"
_BOUND = b"kequn customer id v1"  # associated data: a token is good for this use only


class IdCipher:
    """Seals ids into tokens and opens tokens back into ids, under one key."""

    def __init__(self, secret: str) -> None:
        # AES-256-SIV takes a 64-byte key: derived, so the secret's other uses (keyed
        # hashes of phones, audit references, unsubscribe links) never share it
        key = HKDF(algorithm=hashes.SHA256(), length=64, salt=None, info=_INFO).derive(
            secret.encode("utf-8")
        )
        self._siv = AESSIV(key)

    def seal(self, customer_id: str) -> str:
        """The token shown for ``customer_id``."""
        plain = customer_id.encode("utf-8", "surrogatepass") + b"\x80"
        plain += b"\x00" * (-len(plain) % 16)  # ISO/IEC 7816-4 padding
        sealed = self._siv.encrypt(plain, [_BOUND])
        return PREFIX + base64.urlsafe_b64encode(sealed).decode("ascii").rstrip("=")

    def open(self, token: str) -> str | None:
        """The id ``token`` stands for; None for anything this key did not seal."""
        if not token.startswith(PREFIX) or len(token) > MAX_TOKEN:
            return None
        body = token[len(PREFIX) :]
        try:
            sealed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
            plain = self._siv.decrypt(sealed, [_BOUND])
        except (binascii.Error, ValueError, InvalidTag):
            return None
        unpadded = plain.rstrip(b"\x00")
        if not unpadded.endswith(b"\x80"):
            return None
        try:
            return unpadded[:-1].decode("utf-8", "surrogatepass")
        except UnicodeDecodeError:
            return None


@functools.lru_cache(maxsize=16)
def _cipher(secret: str) -> IdCipher:
    return IdCipher(secret)


def id_cipher(ws: Workspace) -> IdCipher:
    """The workspace's cipher (one per secret: the key is derived once)."""
    return _cipher(ws.secret_key())
