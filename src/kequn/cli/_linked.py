"""Printing where a customer comes from: sources, source records, links (``kequn show``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kequn.cli._app import console, lazy_module
from kequn.core.i18n import t
from kequn.identity.evidence import evidence_local

if TYPE_CHECKING:
    from kequn.snapshots import linked
else:  # imported when a customer is shown, not when the commands are registered
    linked = lazy_module("kequn.snapshots.linked")


def print_linked(found: dict[str, Any]) -> None:
    """A customer's sources, source records (with lineage) and the links between them."""
    none = t("linked.no_source")
    console.print(t("linked.sources", sources=", ".join(found["sources"]) or none), markup=False)
    if found["person_id"]:
        count = len(found["records"])
        console.print(t("linked.person", person=found["person_id"], count=count), markup=False)
    console.print(t("linked.records"), markup=False)
    for r in found["records"]:
        console.print(
            t(
                "linked.record_sheet" if r.get("sheet") else "linked.record",
                source=r["source"] or none,
                source_id=r["source_id"],
                file=r["file"] or "-",
                sheet=r.get("sheet") or "",
                row=r["row"] if r["row"] is not None else "-",
            ),
            markup=False,
        )
    if found["links"]:
        console.print(t("linked.links"), markup=False)
    for link in found["links"]:
        probability = link["probability"]
        console.print(
            t(
                "linked.link",
                a=link["a"],
                b=link["b"],
                rule=link["rule"] or "-",
                probability="-" if probability is None else f"{probability:.3f}",
                decision=linked.decision_text(link),
                evidence=evidence_local(link["evidence"]),
            ),
            markup=False,
            style="dim",
        )
