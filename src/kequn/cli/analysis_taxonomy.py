"""Commands on the taxonomy (check, upgrade) and the names its rules may use
(``kequn features``). Imported right after :mod:`kequn.cli.analysis`, so ``features``
keeps its place in ``kequn --help``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from kequn.cli._app import JsonOpt, WorkspaceOpt, _print_json, _ws, app, console, err, taxonomy_app
from kequn.core.i18n import t


@taxonomy_app.command("check")
def taxonomy_check(
    file: Annotated[
        Path | None, typer.Argument(help="Taxonomy file (default: the workspace's)")
    ] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Validate a taxonomy file: shape, every rule's names and operators, thresholds."""
    from kequn.taxonomy.model import TaxonomyError, load_taxonomy

    path = file or _ws(workspace).taxonomy_path
    try:
        taxonomy = load_taxonomy(path)
    except TaxonomyError as exc:
        err.print(Text.assemble(("✗", "red"), f" {exc}"))
        raise typer.Exit(1) from exc
    labels = sum(len(d.labels) for d in taxonomy.dimensions)
    said = t(
        "taxonomy.checked",
        path=path,
        dimensions=len(taxonomy.dimensions),
        labels=labels,
        thresholds=len(taxonomy.thresholds),
        version=taxonomy.fingerprint,
    )
    console.print(Text.assemble(("✓", "green"), f" {said}"))


@taxonomy_app.command("upgrade")
def taxonomy_upgrade(
    workspace: WorkspaceOpt = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace an edited taxonomy too (it is kept beside)")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Replace the workspace's taxonomy.yaml with the default this kequn ships, when it is
    an unedited copy of an earlier default (an edited one only with --force); the old file
    is kept beside it."""
    from kequn.store.workspace import _atomic_write
    from kequn.taxonomy.model import default_text
    from kequn.taxonomy.upgrade import backup_name, replaceable, standing

    path = _ws(workspace).taxonomy_path
    found, backup = standing(path), None
    if replaceable(found, force=force):
        backup = backup_name(path)
        backup.write_bytes(path.read_bytes())
        _atomic_write(path, default_text())
    dimensions = ", ".join(found.changed) or t("taxonomy.upgrade.none")
    if as_json:
        _print_json(
            {"was": found.state, "changed": list(found.changed), "upgraded": backup is not None,
             "backup": str(backup) if backup else None}
        )  # fmt: skip
    elif backup is not None:
        said = t("taxonomy.upgrade.done", path=path, backup=backup.name, dimensions=dimensions)
        console.print(Text.assemble(("✓", "green"), f" {said}"), soft_wrap=True)
    elif found.state == "edited":
        err.print(t("taxonomy.upgrade.edited", path=path, dimensions=dimensions), soft_wrap=True)
    else:
        console.print(t("taxonomy.upgrade.current", path=path), soft_wrap=True)
    if found.state == "edited" and backup is None:
        raise typer.Exit(1)


@app.command()
def features(workspace: WorkspaceOpt = None, as_json: JsonOpt = False) -> None:
    """List the names rules may use, with their meaning: the catalogue's, and the
    thresholds of the workspace's taxonomy."""
    from kequn.core.i18n import MESSAGES
    from kequn.features.catalogue import FEATURES, PARAMETERS

    rows = [
        {"name": f.name, "kind": f.kind, "zh": f.zh, "en": f.en, "source": "catalogue"}
        for f in [*FEATURES.values(), *PARAMETERS.values()]
    ]
    taxonomy = _workspace_taxonomy(workspace)
    if taxonomy is not None:
        rows += [
            {"name": name, "kind": th.kind, "zh": th.zh, "en": th.en, "source": "threshold"}
            for name, th in taxonomy.thresholds.items()
        ]
    if as_json:
        _print_json(rows)
        return
    out = Table()
    for col in (t("col.feature"), t("col.type"), "中文", "English"):
        out.add_column(col)
    for r in rows:
        kind = f"features.kind.{r['kind']}"
        if r["source"] == "threshold":
            kind = "features.threshold"
        out.add_row(r["name"], t(kind) if kind in MESSAGES else r["kind"], r["zh"], r["en"])
    console.print(out)


def _workspace_taxonomy(workspace: Path | None) -> Any:
    """The taxonomy of the workspace ``-w`` names (an error when it is none), else of
    the one ``$KEQUN_WORKSPACE`` or the current folder is, if it is one: ``kequn
    features`` also lists the catalogue outside any workspace."""
    from kequn.store.workspace import CONFIG_NAME, resolve_root
    from kequn.taxonomy.model import load_taxonomy

    if workspace is None and not (resolve_root(None) / CONFIG_NAME).is_file():
        return None
    path = _ws(workspace).taxonomy_path
    return load_taxonomy(path) if path.is_file() else None
