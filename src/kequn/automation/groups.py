"""Who is in the workspace control group and in a journey's holdout.

Each is a stable hash of a customer id (:func:`share_of`), so reruns, machines and the
audience preview agree. The id hashed is the person's **anchor**: the id under which the
person was first assigned to any journey, or the run's customer id for someone never
assigned.

Without identity resolution the anchor is the customer id itself. With it, a run's
customer ids are person ids (``P`` and a hash of the person's smallest record id,
:func:`kequn.identity.clustering.person_id`), and they change:
- when resolution is first enabled, every customer gets one;
- when a merge brings in a record with a smaller id, the person gets a new one.

Hashed afresh, the new id would draw the person's groups again. Someone in the
workspace control group (promised no journey's message) would then have a nine-in-ten
chance of being messaged, and a journey's holdout would lose and gain members midway, so
the comparison in ``kequn journeys report`` would mix the two groups. The anchor keeps the
first draw.

The anchor is looked up among the ids the person went by: its records' ids and the person
ids those records would have given as the smallest member. Among those, the one first
assigned wins, ties going to the smaller id. The share is applied to the anchor when
drawing, so a changed ``control_group`` or ``holdout`` share still takes effect, as it
does for anyone else.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import duckdb
import pyarrow as pa

from kequn.automation.journeys import Journey, Journeys
from kequn.identity.workspace import has_map
from kequn.store.workspace import Workspace


def share_of(*parts: str) -> float:
    """A stable number in [0, 1) for the parts: the same customer and journey always
    fall on the same side of a holdout share, on every run and every machine."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def held_out(journey: Journey, customer_id: str) -> bool:
    """Whether the journey's holdout keeps ``customer_id`` (an anchor, see the module):
    :func:`share_of` the journey and the customer, the same on every run. A journey named
    ``control`` is hashed apart from the workspace control group (``share_of("control",
    id)``, the very same number): else its holdout would be the control group's share,
    whom the control group has already taken, and hold out no one."""
    parts = ("journey", journey.id) if journey.id == "control" else (journey.id,)
    return bool(journey.holdout) and share_of(*parts, customer_id) < journey.holdout


def in_control_group(journeys: Journeys, customer_id: str) -> bool:
    """Whether the workspace control group holds ``customer_id`` (an anchor)."""
    return bool(journeys.control_group) and share_of("control", customer_id) < (
        journeys.control_group
    )


def anchors(
    ws: Workspace, automation: duckdb.DuckDBPyConnection, ids: Iterable[str]
) -> dict[str, str]:
    """Each of ``ids`` whose anchor is another id, mapped to it (see the module); the rest
    are their own. ``automation``: the automation database, holding ``assignments``.
    Without identity resolution every id is its own anchor and nothing is read."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    with ws.read() as con:
        if not has_map(con):
            return {}
        con.register("_anchor_ids", pa.table({"customer_id": pa.array(wanted, pa.string())}))
        try:
            # each person's other names: its records, and the person ids they would give
            rows = con.execute(
                "SELECT DISTINCT m.person_id, "
                "unnest([m.customer_id, 'P' || sha1(m.customer_id)[1:12]]) "
                "FROM identity_map m JOIN _anchor_ids w ON w.customer_id = m.person_id"
            ).fetchall()
        finally:
            con.unregister("_anchor_ids")
    names = pa.table(
        {
            "person": pa.array([*wanted, *(r[0] for r in rows)], pa.string()),
            "name": pa.array([*wanted, *(r[1] for r in rows)], pa.string()),
        }
    )
    automation.register("_anchor_names", names)
    try:
        found = automation.execute(
            "WITH firsts AS (SELECT customer_id AS name, min(assigned_at) AS first "
            "FROM assignments WHERE customer_id IN (SELECT name FROM _anchor_names) "
            "GROUP BY customer_id) "
            "SELECT n.person, arg_min(n.name, (f.first, n.name)) FROM _anchor_names n "
            "JOIN firsts f USING (name) GROUP BY n.person"
        ).fetchall()
    finally:
        automation.unregister("_anchor_names")
    return {person: name for person, name in found if name != person}
