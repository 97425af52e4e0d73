"""The demo's summary says when a journey's groups are too small to tell.

``kequn demo --with-journeys`` at 2,000 customers printed "Churned customer care: treated
102, holdout 33; … +14.7% (95% CI +7.8% to +21.6%)" for the journey built to have no
effect, without the note ``kequn journeys report`` gives the same numbers (no holdout
customer converted: the normal interval is far too narrow there).
"""

from __future__ import annotations

import pytest

from kequn.demo.journeys import effect_lines


def _report(too_small: bool) -> dict[str, object]:
    group = {"customers": 33, "conversion": 0.0}
    return {
        "journeys": [
            {
                "journey": "care", "name": "care", "window_days": 30, "too_small": too_small,
                "treated": {"customers": 102, "conversion": 0.147}, "holdout": group,
                "conversion_difference": {"difference": 0.147, "ci_low": 0.078, "ci_high": 0.216},
            }
        ]
    }  # fmt: skip


@pytest.mark.parametrize(("lang", "words"), [("en", "Too small to tell"), ("zh", "样本太小")])
def test_a_too_small_journey_says_so(lang: str, words: str) -> None:
    (line,) = effect_lines(_report(True), lang)
    assert words in line
    (line,) = effect_lines(_report(False), lang)
    assert words not in line
