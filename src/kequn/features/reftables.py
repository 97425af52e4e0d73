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
from kequn.core.traditional import traditional_forms

TIERS = ("micro", "small", "medium", "large")


def load_reference(name: str, path: Path | None = None) -> dict[str, Any]:
    """A reference table by name (``channels``, ``sources``, ``nature_keywords``,
    ``industry_gbt4754``, ``size_cn_2017``, ``size_eu_2003``), or an edited copy at ``path``."""
    if path is not None:
        return dict(with_traditional(yaml.safe_load(Path(path).read_text(encoding="utf-8"))))
    return dict(_packaged(name))


def with_traditional(table: Any) -> Any:
    """``table`` with every list of words also holding the words' traditional forms, each
    after its word (:func:`kequn.core.traditional.traditional_forms`): the tables are
    written in simplified characters, and a shop in 台灣 or 香港 writes its channel 線上,
    its source 朋友推薦 and its customers' names 有限公司. Stored values are classified as
    written, on DuckDB and Spark alike, so the words go to them rather than the other way.
    Lists of numbers, and ASCII words, are left as they are."""
    if isinstance(table, dict):
        return {key: with_traditional(value) for key, value in table.items()}
    if isinstance(table, list):
        if not any(isinstance(v, str) and not v.isascii() for v in table):
            return [with_traditional(v) for v in table]
        words: list[Any] = []
        for value in table:
            for word in (value, *(traditional_forms(value) if isinstance(value, str) else ())):
                if word not in words:
                    words.append(word)
        return words
    return table


@functools.cache
def _packaged(name: str) -> dict[str, Any]:
    text = (resources.files("kequn.features") / "refdata" / f"{name}.yaml").read_text(
        encoding="utf-8"
    )
    return dict(with_traditional(yamlfile.safe_load(text)))
