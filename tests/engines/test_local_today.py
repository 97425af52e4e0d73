"""A run "as of today" is today where the business is (the workspace's timezone), not
the machine's date: a server kept in UTC for a shop in Shanghai is on yesterday from
midnight to 8 a.m. there, and left out the day's orders (stored in the shop's time)."""

from __future__ import annotations

import datetime as dt

import pytest

from kequn.engines.as_of import LATEST_AS_OF_DAYS, as_of_from_text, local_today
from kequn.pipeline import resolve_as_of
from kequn.store.workspace import Workspace

# the zones furthest apart: 26 hours, so their dates always differ
EAST, WEST = "Etc/GMT-14", "Etc/GMT+12"


def _there(hours: int) -> dt.date:
    return dt.datetime.now(dt.timezone(dt.timedelta(hours=hours))).date()


def test_today_is_the_zone_s_date() -> None:
    east, west = local_today(EAST), local_today(WEST)
    assert east in (_there(14), _there(14) - dt.timedelta(days=1))  # (midnight between)
    assert west in (_there(-12), _there(-12) + dt.timedelta(days=1))
    assert east > west
    assert local_today("Asia/Shanghai") in (_there(8), _there(8) - dt.timedelta(days=1))
    # a zone nobody knows: the machine's date
    assert local_today("Mars/Olympus_Mons") == dt.date.today()
    assert local_today(None) == dt.date.today()


def test_as_of_text_takes_the_day_given() -> None:
    day = dt.date(2026, 3, 1)
    assert as_of_from_text("today", day) == day
    assert as_of_from_text(" today ", day) == day
    assert as_of_from_text("latest", day) is None
    assert as_of_from_text("2026-03-02", day) == dt.date(2026, 3, 2)
    # the range is counted from the day given
    with pytest.raises(ValueError, match="out of range"):
        as_of_from_text((day + dt.timedelta(days=LATEST_AS_OF_DAYS + 1)).isoformat(), day)
    last = day + dt.timedelta(days=LATEST_AS_OF_DAYS)
    assert as_of_from_text(last.isoformat(), day) == last


def test_the_workspace_rule_today_is_the_shop_s(ws: Workspace) -> None:
    for zone in (EAST, WEST):
        ws.settings.timezone = zone
        ws.settings.as_of = "today"
        ws.save_settings()
        opened = Workspace.open(ws.root)
        assert opened.settings.timezone == zone
        assert resolve_as_of(opened, engine=None) == local_today(zone)  # type: ignore[arg-type]
    assert local_today(EAST) != local_today(WEST)
