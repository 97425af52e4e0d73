"""`kequn serve --help` (and the command list of `kequn --help`) said the API's docs were
at ``/docs``, in English and 中文; the server answers ``/docs`` with a 404 (no Swagger UI:
it loads from a CDN), so a reader following the help found nothing. Every address the
help names is now one the running server answers."""

from __future__ import annotations

import functools
import re
from typing import Any

import httpx
import pytest

from cli_helpers import kequn_output

PATH = re.compile(r"(?<![\w.])/[a-z][\w./-]*[\w]")


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    return functools.partial(kequn_output, capsys)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("args", [["serve", "--help"], ["--help"]])
def test_the_addresses_the_help_names_are_served(  # type: ignore[no-untyped-def]
    cli, server: Any, lang: str, args: list[str]
) -> None:
    code, out, _err = cli("--lang", lang, *args)
    assert code == 0
    # the serve command's own line(s): its help, or its entry in the command list
    words = " ".join(out.replace("│", " ").split())
    start = words.index("REST API")
    said = words[start : start + 120]
    paths = PATH.findall(said)
    assert paths, said
    admin = {"Authorization": f"Bearer {server.tokens['admin']}"}
    for path in paths:
        target = path if path != "/api" else "/api/health"
        answer = httpx.get(server.url + target, headers=admin)
        assert answer.status_code == 200, (lang, path, said)
