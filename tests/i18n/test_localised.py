"""Everything a person reads in 中文 is Chinese: every dashboard page and the main CLI
commands, rendered on demo data, show no snake_case identifier and no English word from
the value catalogue. Ids (customer ids, run ids, the label ids commands are typed with)
and customer-provided text (names, places, addresses: marked ``data-raw`` on the pages)
are exempt."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from kequn.cli import app as cli
from kequn.core.display import VALUES
from kequn.core.schema import CUSTOMERS, EVENTS, ORDERS
from kequn.store.access import add_user
from kequn.store.workspace import Workspace
from kequn.web.app import create_app
from kequn.web.settings import ServerSettings

SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
WORD = re.compile(r"[A-Za-z][A-Za-z-]+")
#: English words a Chinese page must not show: the catalogue's codes and English names,
#: and the schema's column names (less those the Chinese text uses itself: App, VIP …)
_ZH_WORDS = {w.lower() for d in VALUES.values() for zh, _ in d.values() for w in WORD.findall(zh)}
CATALOGUE = {
    w.lower()
    for domain in VALUES.values()
    for code, (_, en) in domain.items()
    for w in [*WORD.findall(code.replace("_", " ")), *WORD.findall(en)]
    if len(w) >= 3
} | {c.name for spec in (CUSTOMERS, ORDERS, EVENTS) for c in spec.columns if "_" not in c.name}
CATALOGUE -= _ZH_WORDS
CATALOGUE -= {"and"}  # too common to mean anything


class _Visible(HTMLParser):
    """The text a reader sees: no scripts, styles, rule editors (<textarea>), code ids
    (<code>), attributes, or customer-provided values (``data-raw``)."""

    SKIP = frozenset({"script", "style", "textarea", "code", "title"})

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping:
            if tag == self.skipping[0]:
                self.skipping.append(tag)
            return
        if tag in self.SKIP or any(name == "data-raw" for name, _ in attrs):
            self.skipping.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.skipping and tag == self.skipping[0]:
            self.skipping.pop()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def visible(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def problems(text: str, exempt: set[str] = frozenset()) -> list[str]:  # type: ignore[assignment]
    for word in exempt:
        text = re.sub(rf"\b{re.escape(word)}\b", " ", text)
    found = SNAKE.findall(text)
    found += [w for w in WORD.findall(text) if w.lower() in CATALOGUE]
    return sorted(set(found))


@pytest.fixture(scope="module")
def ws(two_run_shop: Workspace) -> Workspace:
    return two_run_shop


@pytest.fixture(scope="module")
def client(ws: Workspace) -> TestClient:
    token = add_user(ws, "owner", "admin")
    with TestClient(
        create_app(ServerSettings(workspace=ws.root)),
        headers={"Authorization": f"Bearer {token}"},
    ) as c:
        yield c  # type: ignore[misc]


def _pages(client: TestClient, ws: Workspace) -> list[str]:
    pages = ["/", "/upload", "/taxonomy", "/runs", "/segments/lifecycle/active"]
    pages += [f"/worklists/{team}" for team in ("marketing", "sales", "service")]
    taxonomy = client.get("/api/taxonomy").json()
    assert taxonomy
    return pages


def test_pages_in_chinese_show_no_code_or_english_word(client: TestClient, ws: Workspace) -> None:
    pages = _pages(client, ws)
    from kequn.snapshots import lookup, read

    run = lookup.ready_run(ws)
    assert run is not None
    # customers of every nature (a person, a company, a public body …) and an active buyer
    nature = run.taxonomy().dimension("customer_nature")
    assert nature is not None
    for label in nature.labels:
        rows = read.members(run, nature.id, label.id, offset=0, limit=1)["rows"]
        pages += [f"/customers/{r['customer_id']}" for r in rows]
        pages += [f"/segments/{nature.id}/{label.id}"]
    members = read.members(run, "lifecycle", "active", offset=0, limit=1)["rows"]
    pages += [f"/customers/{r['customer_id']}" for r in members]
    for dim in run.taxonomy().dimensions:
        pages.append(f"/taxonomy?dimension={dim.id}")
    failures = {}
    for path in pages:
        response = client.get(path, params={"lang": "zh"})
        assert response.status_code == 200, path
        bad = problems(visible(response.text))
        if bad:
            failures[path] = bad
    assert failures == {}


def test_cli_in_chinese_shows_no_code_or_english_word(ws: Workspace) -> None:
    from kequn.snapshots import lookup

    run = lookup.ready_run(ws)
    assert run is not None
    taxonomy = run.taxonomy()
    # the ids commands are typed with (kequn export lifecycle=active) are shown on purpose
    from kequn.snapshots import read

    shown = read.segments(run, lang="zh")["dimensions"]
    ids = {d.id for d in taxonomy.dimensions} | {
        lab.id for d in taxonomy.dimensions for lab in d.labels
    }
    ids |= {lab["label"] for d in shown for lab in d["labels"]}
    runner = CliRunner()
    w = ["-w", str(ws.root)]
    commands = [
        ["status", *w],
        ["segments", *w],
        ["segments", "cluster", *w],
        ["history", *w],
        ["quarantine", *w],
    ]
    failures = {}
    for command in commands:
        result = runner.invoke(cli, ["--lang", "zh", *command])
        assert result.exit_code == 0, (command, result.output)
        bad = problems(result.output, ids)
        if bad:
            failures[" ".join(command[:2])] = bad
    assert failures == {}


def test_the_check_sees_what_it_should() -> None:
    assert "partially_refunded" in problems("订单状态 partially_refunded")
    assert problems("渠道 store，互动 click") == ["click", "store"]
    assert problems(visible("<td data-raw>Apex Trading Ltd.</td><td>企业</td>")) == []
    assert problems("唤醒邮件、个性化优惠 · 2025-11-13 10:36 · 约 21 天") == []


def test_export_headers(ws: Workspace, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "active.csv"
    for mode, expect in (("ids", "customer_id"), ("zh", "客户编号"), ("en", "Customer id")):
        result = runner.invoke(
            cli,
            [
                *("export", "lifecycle=active", "-o", str(out), "--headers", mode),
                *("-w", str(ws.root), "--force"),  # the same file each time
            ],
        )
        assert result.exit_code == 0, result.output
        first = out.read_text("utf-8").splitlines()[0]
        assert first.split(",")[0].strip('"') == expect
        names = first.split(",")
        assert len(names) == len(set(names))
