"""The file drop grows a batch at a time with real delivery (``kequn deliver``'s worker):
each batch appends its rows to the same file (the file was rewritten whole, with every
row sent so far, on every batch), a platform that picks the file up between batches gets
no row twice, and a worker killed after writing a batch, or half-way through one, leaves
no row twice and no half row."""

from __future__ import annotations

import csv
import io
import itertools
from pathlib import Path

from automation_helpers import FAST, TEMPLATES, runs, write_journeys

from kequn.automation import db
from kequn.automation.deliver import claim, deliver, drop_path, send_batch
from kequn.automation.journeys import FileChannel, load_journeys
from kequn.automation.plan import process_run
from kequn.pipeline import workspace_taxonomy
from kequn.store.workspace import Workspace

ADS = {"type": "file", "folder": "drops", "hash": "sha256",
       "columns": ["customer_id", "phone", "email", "name"]}  # fmt: skip


def _plan(ws: Workspace) -> tuple[int, Path]:
    """Queue the journey's messages to the drop; (how many, the drop file)."""
    _, late = runs(ws)
    write_journeys(
        ws,
        {"delivery": FAST, "channels": {"ads": ADS},
         "journeys": [{"id": "buyers", "trigger": {"rule": "orders >= 1"}, "channel": "ads",
                       "templates": TEMPLATES, "frequency_cap": None}]},
    )  # fmt: skip
    summary = process_run(late)
    assert summary["messages"] > 3 * FAST["batch"]
    journeys = load_journeys(ws, workspace_taxonomy(ws))
    channel = journeys.channels["ads"]
    assert isinstance(channel, FileChannel)
    return summary["messages"], drop_path(ws, channel, "buyers", late.run_id)


def _ids(text: str) -> list[str]:
    rows = list(csv.DictReader(io.StringIO(text)))
    assert all(None not in row and all(v is not None for v in row.values()) for row in rows)
    return [row["customer_id"] for row in rows]


def _queued(ws: Workspace) -> set[str]:
    with db.connect(ws) as con:
        return {r[0] for r in con.execute("SELECT customer_id FROM outbox").fetchall()}


def test_each_batch_appends_to_the_same_file(aws: Workspace) -> None:
    count, path = _plan(aws)
    seen: list[tuple[int, bytes]] = []

    def after_batch(_: dict[str, int]) -> None:
        seen.append((path.stat().st_ino, path.read_bytes()))

    totals = deliver(aws, progress=after_batch)
    assert totals["sent"] == count
    assert len(seen) == totals["batches"] > 3
    # one file, never replaced: what a batch found is the start of what the next leaves
    assert len({ino for ino, _ in seen}) == 1
    for (_, before), (_, after) in itertools.pairwise(seen):
        assert after.startswith(before)
        assert len(_ids(after.decode())) - len(_ids(before.decode())) <= FAST["batch"]
    text = path.read_text(encoding="utf-8")
    assert text.count("customer_id,phone_sha256,email_sha256,name") == 1  # one header
    ids = _ids(text)
    assert sorted(ids) == sorted(_queued(aws))
    assert len(ids) == len(set(ids)) == count
    assert not list(path.parent.glob("*.part"))


def test_a_file_picked_up_between_batches_gets_no_row_twice(aws: Workspace) -> None:
    count, path = _plan(aws)
    picked = aws.root / "picked"
    picked.mkdir()

    def pick_up(totals: dict[str, int]) -> None:  # the platform takes the file now and then
        if totals["batches"] % 2 and path.exists():
            path.rename(picked / f"{totals['batches']}.csv")

    assert deliver(aws, progress=pick_up)["sent"] == count
    files = sorted(picked.glob("*.csv"))
    assert len(files) > 1
    ids = [cid for f in [*files, path] if f.exists() for cid in _ids(f.read_text("utf-8"))]
    assert len(ids) == len(set(ids)) == count  # every row once, over all the files
    assert set(ids) == _queued(aws)


def test_a_worker_killed_after_writing_or_half_way_leaves_no_row_twice(aws: Workspace) -> None:
    count, path = _plan(aws)
    journeys = load_journeys(aws, workspace_taxonomy(aws))
    # a worker writes a batch and is killed before the outbox records it
    batch = claim(aws, "killed", limit=FAST["batch"], lease=0.0)
    assert all(r[1] is None for r in send_batch(aws, journeys, batch))
    written = _ids(path.read_text(encoding="utf-8"))
    assert sorted(written) == sorted(m["customer_id"] for m in batch)
    # another worker is killed half-way through appending a batch: a row cut short
    with path.open("ab") as fh:
        fh.write(b"C9999999,0123456789abcdef,fedcba98")
    # the lease is over: the messages are sent again, with the rest
    assert deliver(aws)["sent"] == count
    text = path.read_text(encoding="utf-8")
    assert "C9999999" not in text
    assert text.endswith("\n")
    ids = _ids(text)
    assert ids[: len(written)] == written
    assert len(ids) == len(set(ids)) == count
    assert set(ids) == _queued(aws)


def test_an_erasure_takes_the_customer_out_of_the_drop_file(aws: Workspace) -> None:
    from kequn import automation, privacy
    from kequn.automation.drops import _read_state, _side, drop_journal

    automation.install()  # erasures reach automation, as from the CLI
    count, path = _plan(aws)
    deliver(aws)
    ids = _ids(path.read_text(encoding="utf-8"))
    assert len(ids) == count
    who = ids[len(ids) // 2]
    with aws.read() as con:
        name = con.execute("SELECT name FROM customers WHERE customer_id = ?", [who]).fetchone()
    assert name
    assert name[0]
    privacy.erase_person(aws, who)
    text = path.read_text(encoding="utf-8")
    assert _ids(text) == [c for c in ids if c != who]
    assert name[0] not in text
    # the journal follows the file: a later batch appends after the rows kept
    state = _read_state(_side(drop_journal(aws, path), "state"))
    assert state["size"] == path.stat().st_size
    assert state["ino"] == path.stat().st_ino
    from kequn.automation.plan import message_id

    gone = message_id("buyers", runs(aws)[1].as_of_date, who)
    kept = _side(drop_journal(aws, path), "ids").read_text(encoding="ascii").split()
    assert gone not in kept
    assert len(kept) == count - 1
