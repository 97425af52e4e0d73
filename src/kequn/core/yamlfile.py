"""YAML read with libyaml's safe loader when PyYAML was built with it: the same safe
loading as ``yaml.safe_load``, about ten times faster (the ingest's header synonyms and
format profiles: 0.07 s instead of 0.007 s of every import; the default taxonomy 0.23 s
instead of 0.02 s)."""

from __future__ import annotations

from typing import Any

import yaml

#: libyaml's safe loader, else PyYAML's own
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str) -> Any:
    """``yaml.safe_load`` of ``text``, through :data:`SafeLoader`."""
    return yaml.load(text, Loader=SafeLoader)  # noqa: S506 - a safe loader
