"""Certificates for the test database servers' TLS, made with the openssl command
(scripts/test.sh installs it). A module of its own: a test importing from ``conftest``
gets whichever folder's conftest pytest loaded first (tests/web's, in the whole suite)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path


def make_ca(folder: Path, name: str = "ca") -> tuple[Path, Path] | None:
    """A certificate authority made with the openssl command (scripts/test.sh installs
    it): its certificate and key, or None without openssl."""
    openssl = shutil.which("openssl")
    if openssl is None:
        return None
    cert, key = folder / f"{name}.pem", folder / f"{name}.key"
    subprocess.run(
        [
            openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-keyout", str(key), "-out", str(cert), "-subj", f"/CN=kequn test {name}",
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        ],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def server_certificate(folder: Path, ca: tuple[Path, Path]) -> tuple[Path, Path]:
    """A server certificate for 127.0.0.1 and localhost, signed by ``ca``."""
    openssl = shutil.which("openssl") or "openssl"
    cert, key, request = folder / "server.pem", folder / "server.key", folder / "server.csr"
    extensions = folder / "server.ext"
    extensions.write_text(
        "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
        "keyUsage=critical,digitalSignature,keyEncipherment\n"
        "extendedKeyUsage=serverAuth\n",
        encoding="ascii",
    )
    subprocess.run(
        [
            openssl, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
            "-out", str(request), "-subj", "/CN=localhost",
        ],
        check=True, capture_output=True,
    )  # fmt: skip
    subprocess.run(
        [
            openssl, "x509", "-req", "-in", str(request), "-CA", str(ca[0]),
            "-CAkey", str(ca[1]), "-CAcreateserial", "-out", str(cert), "-days", "2",
            "-extfile", str(extensions),
        ],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key
