"""TLS for a MySQL / MariaDB source, from its URL's query as the ``mysql`` client names the
options (MySQL 8.0 reference manual, "Command Options for Encrypted Connections":
``--ssl-mode`` DISABLED, PREFERRED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY; ``--ssl-ca``,
``--ssl-cert``, ``--ssl-key``; an ``--ssl-ca`` without a mode means VERIFY_CA):

    mysql://kequn:***@db.example.com/shop?ssl-mode=VERIFY_IDENTITY&ssl-ca=/etc/ssl/rds-ca.pem

Without them PyMySQL encrypts when the server offers it and verifies nothing (PREFERRED),
and kequn read every option of the URL but the timeout and the socket as nothing: a data
team whose server requires a verified certificate (a cloud database) could not connect,
and one that wanted a connection refused unless encrypted could not ask for it.
PostgreSQL's libpq reads its own (``?sslmode=verify-full&sslrootcert=...``) from the URL.
"""

from __future__ import annotations

import ssl
from pathlib import Path
from typing import Any

from kequn.core.i18n import t
from kequn.ingest.readers import SourceError

MODES = ("disabled", "preferred", "required", "verify_ca", "verify_identity")


def _option(options: dict[str, str], name: str) -> str | None:
    """An option as ``ssl-ca`` or ``ssl_ca`` (a URL's query may spell it either way)."""
    for spelled in (name, name.replace("-", "_")):
        if options.get(spelled):
            return options[spelled]
    return None


def mysql_tls(options: dict[str, str], masked_url: str) -> dict[str, Any]:
    """The keyword arguments of ``pymysql.connect`` for the URL's TLS options (none: its
    default, PREFERRED)."""
    mode = (_option(options, "ssl-mode") or "").strip().lower().replace("-", "_")
    ca, cert, key = (_option(options, f"ssl-{n}") for n in ("ca", "cert", "key"))
    if not mode:
        mode = "verify_ca" if ca else "preferred"
    if mode not in MODES:
        allowed = ", ".join(m.upper() for m in MODES)
        raise SourceError(t("sources.bad_ssl_mode", url=masked_url, value=mode, allowed=allowed))
    if mode == "disabled":
        return {"ssl_disabled": True}
    if mode == "preferred" and not (cert or key):
        return {}
    for path in (ca, cert, key):
        if path is not None and not Path(path).is_file():
            raise SourceError(t("sources.no_tls_file", url=masked_url, file=path))
    # verified against the CA file given, else the system's CAs (a cloud database's
    # certificate is usually signed by a public CA)
    context = ssl.create_default_context(cafile=ca)
    context.check_hostname = mode == "verify_identity"
    context.verify_mode = ssl.CERT_REQUIRED if mode.startswith("verify") else ssl.CERT_NONE
    if cert is not None:
        context.load_cert_chain(cert, keyfile=key)
    # an SSLContext makes PyMySQL require TLS: a server without it is refused
    return {"ssl": context}
