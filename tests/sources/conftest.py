"""Real PostgreSQL and MariaDB servers for the source tests, started once per session on
loopback in a temp folder (scripts/test.sh installs them from Debian's packages), and
stopped at the end. Each has a user with a random password, so tests can check the
password never leaks."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from tls_certs import make_ca, server_certificate


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _binary(name: str, *globs: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    for pattern in globs:
        hits = sorted(str(p) for p in Path("/").glob(pattern.lstrip("/")))
        if hits:
            return hits[-1]
    return None


@dataclass
class Server:
    kind: str
    url: str  # with the password: what a user puts in KEQUN_..._URL
    password: str
    #: the CA that signed the server's TLS certificate (for 127.0.0.1), when openssl made one
    ca: Path | None = None
    #: a user the server admits over TLS only (REQUIRE SSL), with the same password
    tls_url: str | None = None

    def execute(self, *statements: str) -> None:
        if self.kind == "postgresql":
            import adbc_driver_postgresql.dbapi as pg

            with pg.connect(self.url, autocommit=True) as conn, conn.cursor() as cur:
                for sql in statements:
                    cur.execute(sql)
        else:
            with contextlib.closing(_mysql(self.url)) as conn, conn.cursor() as cur:
                for sql in statements:
                    cur.execute(sql)
                conn.commit()


def _mysql(url: str, **extra: Any) -> Any:
    from urllib.parse import urlsplit

    import pymysql

    parts = urlsplit(url)
    return pymysql.connect(
        host=parts.hostname,
        port=parts.port,
        user=parts.username,
        password=parts.password or "",
        database=parts.path.lstrip("/") or None,
        **extra,
    )


def _as_postgres(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    return ["runuser", "-u", "postgres", "--", *cmd]


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Server]:
    initdb = _binary("initdb", "/usr/lib/postgresql/*/bin/initdb")
    pg_ctl = _binary("pg_ctl", "/usr/lib/postgresql/*/bin/pg_ctl")
    if not initdb or not pg_ctl:
        pytest.skip(
            "PostgreSQL server binaries (initdb, pg_ctl) not installed: apt install postgresql"
        )
    root = Path(tempfile.mkdtemp(prefix="kequn-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    password = "pg-" + secrets.token_hex(10)
    pwfile = root / "pw"
    pwfile.write_text(password + "\n", encoding="utf-8")
    if os.geteuid() == 0:
        shutil.chown(pwfile, "postgres", "postgres")
    pwfile.chmod(0o600)
    data, port = root / "data", _free_port()
    subprocess.run(
        _as_postgres(
            [
                initdb,
                "-D",
                str(data),
                "-U",
                "kequn",
                "--auth=scram-sha-256",
                f"--pwfile={pwfile}",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ]
        ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=True,
    )
    pwfile.unlink()
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(
        _as_postgres(
            [pg_ctl, "-D", str(data), "-o", options, "-l", str(root / "log"), "-w", "start"]
        ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=True,
    )
    try:
        yield Server(
            "postgresql", f"postgresql://kequn:{password}@127.0.0.1:{port}/postgres", password
        )
    finally:
        subprocess.run(
            _as_postgres([pg_ctl, "-D", str(data), "-m", "immediate", "stop"]),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def mysql_server() -> Iterator[Server]:
    mariadbd = _binary("mariadbd", "/usr/sbin/mariadbd")
    install = _binary("mariadb-install-db", "/usr/bin/mariadb-install-db")
    if not mariadbd or not install:
        pytest.skip("MariaDB server binaries (mariadbd) not installed: apt install mariadb-server")
    root = Path(tempfile.mkdtemp(prefix="kequn-mariadb-"))
    data, sock, port = root / "data", root / "mysqld.sock", _free_port()
    user = ["--user=root"] if os.geteuid() == 0 else []
    subprocess.run(
        [
            install,
            "--no-defaults",
            *user,
            f"--datadir={data}",
            "--auth-root-authentication-method=normal",
            "--skip-test-db",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=True,
    )
    # TLS offered (clients not asking for it connect as before), so that a source's
    # ssl-mode options are tried against a real server
    ca = make_ca(root)
    tls: list[str] = []
    if ca is not None:
        cert, key = server_certificate(root, ca)
        tls = [f"--ssl-ca={ca[0]}", f"--ssl-cert={cert}", f"--ssl-key={key}"]
    log = (root / "log").open("w")
    proc = subprocess.Popen(
        [
            mariadbd,
            "--no-defaults",  # first, or mariadbd refuses it
            *tls,
            *user,
            f"--datadir={data}",
            f"--socket={sock}",
            f"--port={port}",
            "--bind-address=127.0.0.1",
            f"--pid-file={root / 'pid'}",
            "--skip-log-bin",
            "--innodb-flush-log-at-trx-commit=0",
        ],
        stdout=log,
        stderr=log,
    )
    import pymysql

    password = "my-" + secrets.token_hex(10)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                conn = pymysql.connect(unix_socket=str(sock), user="root", password="")
                break
            except pymysql.err.OperationalError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((root / "log").read_text()) from None
                time.sleep(0.3)
        with contextlib.closing(conn), conn.cursor() as cur:
            cur.execute("CREATE DATABASE shop CHARACTER SET utf8mb4")
            cur.execute("CREATE USER 'kequn'@'127.0.0.1' IDENTIFIED BY %s", (password,))
            cur.execute("GRANT ALL ON shop.* TO 'kequn'@'127.0.0.1'")
            cur.execute(
                "CREATE USER 'kequn_tls'@'127.0.0.1' IDENTIFIED BY %s REQUIRE SSL", (password,)
            )
            cur.execute("GRANT ALL ON shop.* TO 'kequn_tls'@'127.0.0.1'")
        yield Server(
            "mysql",
            f"mysql://kequn:{password}@127.0.0.1:{port}/shop",
            password,
            ca=ca[0] if ca is not None else None,
            tls_url=f"mysql://kequn_tls:{password}@127.0.0.1:{port}/shop",
        )
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        shutil.rmtree(root, ignore_errors=True)
