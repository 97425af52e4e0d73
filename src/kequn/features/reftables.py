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
            for word in (value, *(forms_of(value) if isinstance(value, str) else ())):
                if word not in words:
                    words.append(word)
        return words
    return table


#: the packaged tables' words and their traditional forms, made once by
#: ``python -m kequn.features.reftables`` (tests/features/test_traditional_forms_file.py
#: checks it is current): converting them at each run cost 50-70 ms of OpenCC's loading
FORMS_FILE = "traditional.yaml"
#: the packaged tables (every YAML file of refdata but :data:`FORMS_FILE`); the
#: attribute features read all of them (:data:`kequn.features.attributes.REFERENCES`)
NAMES = (
    "channels",
    "industry_gbt4754",
    "nature_keywords",
    "size_cn_2017",
    "size_eu_2003",
    "sources",
)


def forms_of(word: str) -> tuple[str, ...]:
    """:func:`kequn.core.traditional.traditional_forms` of ``word``, from
    :data:`FORMS_FILE` when it is there (the packaged tables' words), else converted."""
    known = _known_forms()
    return tuple(known[word]) if word in known else traditional_forms(word)


@functools.cache
def _known_forms() -> dict[str, list[str]]:
    return dict(yamlfile.safe_load(_refdata(FORMS_FILE)) or {})


def _refdata(file: str) -> str:
    return (resources.files("kequn.features") / "refdata" / file).read_text(encoding="utf-8")


def packaged_words() -> list[str]:
    """Every word of the packaged tables that is not ASCII, in order, once."""
    words: dict[str, None] = {}

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, str) and not item.isascii():
                    words[item] = None
                else:
                    walk(item)

    for name in NAMES:
        walk(yamlfile.safe_load(_refdata(f"{name}.yaml")))
    return list(words)


def forms_file_text() -> str:
    """What :data:`FORMS_FILE` holds: each packaged word with its traditional forms."""
    lines = [
        "# Made by `python -m kequn.features.reftables` from the tables beside it: each word's",
        "# traditional forms (OpenCC s2t, s2hk, s2twp). Do not edit; make it again instead.",
    ]
    # every word, those without another form too ([]): a word missing here is converted
    lines += [f"{w}: [{', '.join(traditional_forms(w))}]" for w in packaged_words()]
    return "\n".join(lines) + "\n"


def group_of(text: Any, table: dict[str, Any]) -> str:
    """The group of ``table`` (``channels`` or ``sources``) that ``text`` is in, as
    :func:`kequn.features.reference.channel_group_expr` and ``source_group_expr`` decide
    it in a run: exact synonyms first, then contained keywords, in the table's group
    order; ``other`` for text of no group, ``unknown`` for none. For one value a page
    shows (an order's channel), where a run's features do not hold its group."""
    norm = "" if text is None else str(text).strip().lower()
    if not norm:
        return "unknown"
    groups: dict[str, Any] = table["groups"]
    for group, spec in groups.items():
        if norm in {str(v).strip().lower() for v in spec.get("exact", [])}:
            return str(group)
    for group, spec in groups.items():
        if any(str(w).lower() in norm for w in spec.get("contains", [])):
            return str(group)
    return "other"


@functools.cache
def _packaged(name: str) -> dict[str, Any]:
    return dict(with_traditional(yamlfile.safe_load(_refdata(f"{name}.yaml"))))


if __name__ == "__main__":
    target = Path(str(resources.files("kequn.features") / "refdata" / FORMS_FILE))
    target.write_text(forms_file_text(), encoding="utf-8")
