"""``kequn identity``: which customer records are one person (see :mod:`kequn.identity`)."""

from __future__ import annotations

from typing import Annotated

import typer

from kequn.cli._app import (
    ROWS_MAX,
    JsonOpt,
    WorkspaceOpt,
    _print_json,
    _ws,
    app,
    console,
    given_id,
)
from kequn.cli._help import KequnTyper
from kequn.core.i18n import t

identity_app = KequnTyper(
    help="Identity resolution: link customer records of all sources into persons, review links.",
    no_args_is_help=True,
)
app.add_typer(identity_app, name="identity")

RecordArg = Annotated[
    str,
    typer.Argument(
        help="Customer record id (as imported, e.g. tmall:C001)", callback=given_id("record")
    ),
]


@identity_app.command("run")
def run_cmd(
    workspace: WorkspaceOpt = None,
    retrain: Annotated[
        bool, typer.Option("--retrain", help="Train the model again (EM) instead of reusing it")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Link every customer record to a person: deterministic keys, then the stored splink
    model (trained on the first run); people's decisions apply."""
    from kequn import identity

    ws = _ws(workspace)
    report = identity.run(ws, retrain=retrain)
    if as_json:
        _print_json(report)
        return
    console.print(t("identity.ran", **report))
    if not identity.settings(ws).enabled:
        console.print(t("identity.disabled"), style="dim")


@identity_app.command("review")
def review_cmd(
    workspace: WorkspaceOpt = None,
    limit: Annotated[
        int, typer.Option("--limit", help="At most this many pairs", min=0, max=ROWS_MAX)
    ] = 50,
    as_json: JsonOpt = False,
) -> None:
    """Uncertain pairs, most probable first, with their evidence. Decide with
    ``kequn identity confirm A B`` or ``reject A B``."""
    from kequn import identity
    from kequn.identity.evidence import evidence_local

    pairs = identity.review(_ws(workspace), limit=limit)
    if as_json:
        _print_json(pairs)
        return
    if not pairs:
        console.print(t("identity.review.none"))
        return
    for p in pairs:
        mark = "✓" if p["accepted"] else "?"
        console.print(
            f"{mark} {p['probability']:.3f}  {p['a']} ({p['name_a']}, {p['city_a']})  ↔  "
            f"{p['b']} ({p['name_b']}, {p['city_b']})"
        )
        console.print(f"    {evidence_local(p['evidence'])}", style="dim")


@identity_app.command("confirm")
def confirm_cmd(a: RecordArg, b: RecordArg, workspace: WorkspaceOpt = None) -> None:
    """Two records are the same person (kept so in every later run)."""
    from kequn import identity

    result = identity.decide(_ws(workspace), a, b, "confirm")
    console.print(t("identity.confirmed", a=a, b=b, **result))


@identity_app.command("reject")
def reject_cmd(a: RecordArg, b: RecordArg, workspace: WorkspaceOpt = None) -> None:
    """Two records are different people (kept apart in every later run and import)."""
    from kequn import identity

    result = identity.decide(_ws(workspace), a, b, "reject")
    console.print(t("identity.rejected", a=a, b=b, **result))


@identity_app.command("split")
def split_cmd(
    target: Annotated[
        str,
        typer.Argument(
            help="A person id (P…) or a customer record id", callback=given_id("person")
        ),
    ],
    workspace: WorkspaceOpt = None,
) -> None:
    """Undo a person: each of its records (or the one record named) stands alone, until
    a person confirms a pair again."""
    from kequn import identity

    result = identity.decide(_ws(workspace), target, None, "split")
    console.print(t("identity.split", id=target, **result))
