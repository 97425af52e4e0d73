"""The reference tables themselves (``kequn/features/refdata/*.yaml``, or a workspace's
edited copies), read without Ibis: the customer page's reasons look values up in them
(:mod:`kequn.taxonomy.reasons`), and :mod:`kequn.features.reference` builds the
classifiers' expressions from them."""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from kequn.core import yamlfile

TIERS = ("micro", "small", "medium", "large")


def load_reference(name: str, path: Path | None = None) -> dict[str, Any]:
    """A reference table by name (``channels``, ``sources``, ``nature_keywords``,
    ``industry_gbt4754``, ``size_cn_2017``, ``size_eu_2003``), or an edited copy at ``path``."""
    if path is not None:
        return dict(yaml.safe_load(Path(path).read_text(encoding="utf-8")))
    return dict(_packaged(name))


@functools.cache
def _packaged(name: str) -> dict[str, Any]:
    text = (resources.files("kequn.features") / "refdata" / f"{name}.yaml").read_text(
        encoding="utf-8"
    )
    return dict(yamlfile.safe_load(text))
