"""numba's compilation with its on-disk cache when there is somewhere to keep it.

``numba.njit(cache=True)`` keeps the compiled code next to the module (``__pycache__``)
or, when that cannot be written, in the user's cache folder; when neither can (a
read-only install run by a service user without a writable home: systemd's
DynamicUser, a read-only container image) it raises ``RuntimeError`` as the function is
decorated. Then the function is compiled in memory for this process only, each time it
starts (a second or two), instead of failing the run.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def compiled(function: Callable[..., Any], **options: Any) -> Callable[..., Any]:
    """``function`` compiled by numba with ``options``, cached on disk if possible."""
    import numba

    try:
        return numba.njit(cache=True, **options)(function)
    except RuntimeError:  # "cannot cache function ...: no locator available"
        return numba.njit(cache=False, **options)(function)
