"""The workspace's taxonomy: reading, checking, saving it, and previewing a rule."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel

from kequn import pipeline
from kequn.snapshots import read
from kequn.store.access import User, audit
from kequn.store.workspace import _atomic_write
from kequn.taxonomy.model import Taxonomy, TaxonomyError, parse_taxonomy
from kequn.web.deps import Reader, need, request_lang, run_or_404, workspace
from kequn.web.errors import ApiError
from kequn.web.personal import hidden_literals, taxonomy_rules
from kequn.web.rule_privacy import masked_rule

router = APIRouter(prefix="/api", tags=["taxonomy"])


class TaxonomyText(BaseModel):
    text: str


class RulePreview(BaseModel):
    rule: str
    dimension: str | None = None


@router.get("/taxonomy")
def taxonomy(request: Request, user: Reader) -> dict[str, Any]:
    """The workspace's taxonomy file, and its dimensions (for readers without personal
    data, the values its rules compare a personal field with masked)."""
    current = pipeline.workspace_taxonomy(workspace(request))
    hidden = hidden_literals(request, user, taxonomy_rules(current))
    return {
        "text": masked_rule(current.source_text, hidden),
        "version": current.fingerprint,
        "dimensions": [
            {
                "id": d.id,
                "zh": d.zh,
                "en": d.en,
                "type": d.type,
                "labels": [
                    {
                        "id": lab.id,
                        "zh": lab.zh,
                        "en": lab.en,
                        "when": masked_rule(lab.when, hidden),
                    }
                    for lab in d.labels
                ],
            }
            for d in current.dimensions
        ],
    }


def _parse(text: str) -> Taxonomy:
    """``text`` parsed and checked; any way it is not a taxonomy is a TaxonomyError (text
    that is YAML but not a mapping, say, fails deeper down with other exceptions)."""
    try:
        return parse_taxonomy(text)
    except TaxonomyError:
        raise
    except (TypeError, ValueError, AttributeError, RecursionError) as exc:
        raise TaxonomyError(f"taxonomy: {type(exc).__name__}: {exc}") from exc


@router.post("/taxonomy/validate")
def validate(body: TaxonomyText, _user: Reader) -> dict[str, Any]:
    """Check taxonomy text without saving it."""
    try:
        parsed = _parse(body.text)
    except TaxonomyError as exc:
        return {"ok": False, "error": str(exc)}
    labels = sum(len(d.labels) for d in parsed.dimensions)
    return {"ok": True, "dimensions": len(parsed.dimensions), "labels": labels}


@router.put("/taxonomy")
def save_taxonomy(
    request: Request, body: TaxonomyText, user: Annotated[User, Depends(need("taxonomy"))]
) -> dict[str, Any]:
    """Validate and save the taxonomy; the next run uses it."""
    try:
        parsed = _parse(body.text)
    except TaxonomyError as exc:
        raise ApiError(400, "invalid_taxonomy", str(exc)) from exc
    ws = workspace(request)
    _atomic_write(ws.taxonomy_path, body.text)
    audit(ws, user.name, "taxonomy.save", {"version": parsed.fingerprint})
    return {"ok": True, "version": parsed.fingerprint}


@router.post("/taxonomy/preview")
def preview(
    request: Request, body: RulePreview, user: Reader, run: str | None = None
) -> dict[str, Any]:
    """How many customers of the latest run a rule would match (audited: who previewed
    what size of rule, never its text, which may name a person)."""
    found = run_or_404(request, run)
    result = read.preview(
        found,
        body.rule,
        body.dimension,
        allow_personal=user.can("personal"),
        lang=request_lang(request),
    )
    audit(
        workspace(request),
        user.name,
        "rule.preview",
        {"run": found.run_id, "dimension": body.dimension, "length": len(body.rule)},
    )
    return result
