"""The server's settings, in a module of their own: the CLI, the app and the process
manager all need them, and none of those should have to import another to get them."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel


class ServerSettings(BaseModel):
    """Where the server's workspace is and where it listens.

    Body and upload limits, session length and job retention are the workspace's own
    (``[serve]`` in ``kequn.toml``); sign-in lock-out is set here."""

    workspace: Path
    host: str = "127.0.0.1"
    port: int = 8000
    #: failed sign-ins (wrong tokens) a client may make within ``lockout_seconds``
    max_failed_logins: int = 30
    lockout_seconds: float = 300.0
