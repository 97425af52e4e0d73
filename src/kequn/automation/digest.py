"""Team digests: after each run, one message per team saying what moved.

``digests:`` in ``journeys.yaml`` names, per team (marketing, sales, service), a channel (a
group robot or a webhook), a language and the movements that matter, e.g. "entered
lifecycle.dormant among value.high". After a run is processed (its events stored by
:func:`kequn.automation.plan.process_run`) each team's movements are counted from the
run's events against the previous run; a movement with ``among`` counts only customers who
carry those labels in the new run, so the digest reads "12 high-value customers became
dormant". Movements below the team's ``min_count`` are left out, and a team with nothing
left gets no message that run. Each movement links to its segment page
(``digests.base_url`` + ``/segments/DIMENSION/LABEL``) and names a few customers by id
only (the highest spend first): no names, phones or e-mails reach a chat group.

A digest is an outbox row like a journey's message (journey ``digest:TEAM``, no customer),
with a stable id made of the team and the run, written once: building it again changes
nothing. ``kequn deliver`` sends it with the same retries; ``kequn digest show`` shows it
in 中文 or English from the counts kept with it. An erasure takes the person's id out of
the examples (:func:`erase`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import urllib.parse
from typing import Any

from kequn.automation import db
from kequn.automation import text as _text  # noqa: F401  (registers the messages)
from kequn.automation.events import previous_run, redefined
from kequn.automation.plan import is_backfill
from kequn.automation.robots import inert
from kequn.core.i18n import t

PREFIX = "digest:"
PURPOSE = "digest"


def digest_message_id(team: str, as_of: dt.date) -> str:
    """The digest's id and idempotency key: one per team and as-of date, so a run made
    again for the same date posts no second digest of the same movements."""
    key = f"{PREFIX}{team}\x1f{as_of.isoformat()}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _names(taxonomy: Any, dim_id: str, label_id: str) -> dict[str, str]:
    dim = taxonomy.dimension(dim_id)
    label = dim.label(label_id) if dim else None
    if label is None:
        return {"zh": label_id, "en": label_id}
    return {"zh": label.zh, "en": label.en}


def _link(base_url: str | None, dim: str, label: str) -> str | None:
    if not base_url:
        return None
    quote = urllib.parse.quote
    return f"{base_url.rstrip('/')}/segments/{quote(dim, safe='')}/{quote(label, safe='')}"


def _among_sql(
    taxonomy: Any, among: list[tuple[str, str]], columns: set[str]
) -> tuple[str, list[str]] | None:
    """The condition (on the new run's labels ``l``) that a customer holds every label of
    ``among``, with its parameters; None when a label's column is not in the run."""
    from kequn.snapshots.packed import quoted_name

    parts, params = ["true"], []
    for dim_id, label_id in among:
        dim = taxonomy.dimension(dim_id)
        if dim is None:
            return None
        if dim.type == "exclusive":
            column = dim_id
            parts.append(f"l.{quoted_name(column)} = ?")
            params.append(label_id)
        else:
            column = dim.tag_column(label_id)
            parts.append(f"l.{quoted_name(column)} IS TRUE")
        if column not in columns:
            return None
    return " AND ".join(parts), params


def _count(
    mem: Any, taxonomy: Any, movement: Any, columns: set[str], examples: int
) -> tuple[int, list[str]]:
    """How many customers made ``movement`` (among its labels in the new run), and the
    first ``examples`` of them by spend: DuckDB over the events and the run's labels."""
    found = _among_sql(taxonomy, movement.amongst(), columns)
    if found is None:
        return 0, []
    condition, params = found
    dim_id, label_id = movement.target
    spend = "coalesce(TRY_CAST(l.spend AS DOUBLE), 0)" if "spend" in columns else "0"
    rows = mem.execute(
        f"SELECT e.customer_id, count(*) OVER () FROM ev e LEFT JOIN cur l USING (customer_id) "
        f"WHERE e.dimension = ? AND e.label = ? AND e.change = ? AND {condition} "
        f"ORDER BY {spend} DESC, e.customer_id LIMIT ?",
        [dim_id, label_id, movement.change, *params, max(examples, 1)],
    ).fetchall()
    if not rows:
        return 0, []
    return int(rows[0][1]), [r[0] for r in rows[:examples]]


def compute_digests(
    run: Any, journeys: Any, events: Any, redefined: frozenset[str] | set[str] = frozenset()
) -> dict[str, dict[str, Any]]:
    """Each enabled team's digest for ``run`` from its events (an Arrow table of
    customer_id, dimension, label, change): the payload kept with the message, with
    counts, examples, links and the label names in both languages. A movement in a
    dimension of ``redefined`` (rules changed since the run before) says so."""

    taxonomy = run.taxonomy()
    digests = journeys.digests
    out: dict[str, dict[str, Any]] = {}
    with run.workspace.scratch() as mem:
        mem.register("ev", events)
        mem.sql(f"SELECT * FROM {run.rows_sql()}").create_view("cur")
        columns = {r[0] for r in mem.execute("DESCRIBE cur").fetchall()}
        for team, cfg in digests.teams.items():
            if not cfg.enabled:
                continue
            moved: list[dict[str, Any]] = []
            for movement in cfg.movements:
                count, examples = _count(mem, taxonomy, movement, columns, cfg.examples)
                if count < cfg.min_count:
                    continue
                dim_id, label_id = movement.target
                moved.append(
                    {
                        "change": movement.change,
                        "dimension": dim_id,
                        "label": label_id,
                        "names": _names(taxonomy, dim_id, label_id),
                        "among": [
                            {"dimension": d, "label": lab, "names": _names(taxonomy, d, lab)}
                            for d, lab in movement.amongst()
                        ],
                        "count": count,
                        "examples": examples,
                        "link": _link(digests.base_url, dim_id, label_id),
                        "text": {"zh": movement.zh, "en": movement.en},
                        "rules_changed": dim_id in redefined,
                    }
                )
            if moved:
                out[team] = {
                    "kind": "digest",
                    "team": team,
                    "lang": cfg.language,
                    "channel": cfg.channel,
                    "movements": moved,
                }
    return out


def render(payload: dict[str, Any], lang: str) -> tuple[str, str]:
    """The digest's title and markdown body in ``lang`` (robots send the markdown as the
    platform wants it, see :mod:`kequn.automation.robots`)."""
    team = t(f"digest.team.{payload['team']}", lang)
    subject = t("digest.title", lang, team=team, as_of=payload["as_of"])
    lines = [
        t(
            "digest.intro",
            lang,
            run=payload["run_id"],
            as_of=payload["as_of"],
            previous=payload.get("previous_run_id") or "—",
        )
    ]
    for m in payload["movements"]:
        custom = (m.get("text") or {}).get(lang) or ""
        if custom:
            line = custom.replace("{count}", f"**{m['count']:,}**")
        else:
            among = ""
            if m["among"]:
                joined = t("digest.and", lang).join(a["names"][lang] for a in m["among"])
                among = t("digest.among", lang, names=joined)
            line = t(
                f"digest.{m['change']}",
                lang,
                count=f"**{m['count']:,}**",
                among=among,
                label=m["names"][lang],
            )
        if m.get("rules_changed"):
            line += " " + t("digest.rules_changed", lang)
        if m.get("link"):
            line += f" — [{t('digest.open', lang)}]({m['link']})"
        lines.append(f"- {line}")
        if m["examples"]:
            # an id is imported data: no backquote of its own ends the code span
            ids = t("digest.and", lang).join(f"`{inert(cid)}`" for cid in m["examples"])
            more = m["count"] - len(m["examples"])
            if more > 0:
                ids += " " + t("digest.more", lang, count=f"{more:,}")
            lines.append("  " + t("digest.examples", lang, ids=ids))
    return subject, "\n".join(lines) + "\n"


def _events(con: Any, ws: Any, run_id: str) -> Any:
    events = db.with_events(con, ws, run_id)
    return con.execute(
        f"SELECT customer_id, dimension, label, change FROM {events} WHERE run_id = ?",
        [run_id],
    ).to_arrow_table()


def build_digests(run: Any, *, now: dt.datetime | None = None) -> dict[str, Any]:
    """Queue ``run``'s team digests (once per team and run) after its events were stored
    by ``process_run``; what was queued, per team."""
    from kequn.automation.journeys import JourneysError, load_journeys

    ws = run.workspace
    now = now or db.utcnow()
    summary: dict[str, Any] = {"run_id": run.run_id, "teams": {}, "error": None}
    try:
        journeys = load_journeys(ws, run.taxonomy())
    except JourneysError as exc:
        summary["error"] = str(exc)
        return summary
    if not journeys.digests.teams:
        return summary
    with db.connect(ws) as con:
        found = con.execute(
            "SELECT previous_run_id FROM processed_runs WHERE run_id = ?", [run.run_id]
        ).fetchone()
        if found is None or found[0] is None:
            summary["error"] = None if found else "run not processed"
            return summary
        if is_backfill(con, run):  # movements of the past are news to no team
            summary["backfill"] = True
            return summary
        events = _events(con, ws, run.run_id)
    before = previous_run(run)
    changed = redefined(before, run.taxonomy(), run) if before is not None else set()
    digests = compute_digests(run, journeys, events, changed)
    rows = []
    for team, payload in digests.items():
        channel = journeys.channels[payload["channel"]]
        payload |= {"run_id": run.run_id, "previous_run_id": found[0], "as_of": run.as_of}
        subject, body = render(payload, payload["lang"])
        payload |= {"subject": subject, "text": body}
        mid = digest_message_id(team, run.as_of_date)
        rows.append(
            (mid, PREFIX + team, run.run_id, "", payload["channel"], channel.type, PURPOSE,
             payload["lang"], None, subject, body,
             json.dumps(payload, ensure_ascii=False, sort_keys=True), None, None, "pending", 0,
             now, now)
        )  # fmt: skip
        summary["teams"][team] = {
            "message_id": mid,
            "movements": {f"{m['change']} {m['dimension']}.{m['label']}": m["count"]
                          for m in payload["movements"]},
        }  # fmt: skip
    if rows:
        with db.connect(ws) as con, db.transaction(con):
            con.executemany(
                "INSERT INTO outbox (message_id, journey_id, run_id, customer_id, channel, "
                "channel_type, purpose, lang, recipient, subject, body, payload, quiet_start, "
                "quiet_end, status, attempts, created_at, next_attempt_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT DO NOTHING",
                rows,
            )
    return summary


def show_digests(ws: Any, run_id: str, lang: str, team: str | None = None) -> list[dict[str, Any]]:
    """The run's digests as queued, rendered in ``lang``, with their delivery status."""
    if not db.exists(ws):
        return []
    with db.connect(ws) as con:
        rows = con.execute(
            "SELECT journey_id, payload, status, attempts, sent_at, last_error FROM outbox "
            "WHERE purpose = ? AND starts_with(journey_id, ?) AND run_id = ? "
            "ORDER BY journey_id",
            [PURPOSE, PREFIX, run_id],
        ).fetchall()
    out = []
    for journey_id, raw, status, attempts, sent_at, error in rows:
        payload = json.loads(raw)
        if team and payload["team"] != team:
            continue
        subject, body = render(payload, lang)
        out.append(
            {
                "team": journey_id.removeprefix(PREFIX),
                "channel": payload["channel"],
                "subject": subject,
                "text": body,
                "movements": payload["movements"],
                "status": status,
                "attempts": attempts,
                "sent_at": sent_at.isoformat() if sent_at else None,
                "last_error": error,
            }
        )
    return out


def erase(ws: Any, customer_id: str) -> int:
    """Take a customer's id out of every digest's examples (counts stay: they are
    aggregates); how many digests changed. Registered with :func:`kequn.privacy.on_erase`
    before the automation database's own eraser, which then rewrites the file."""
    if not db.exists(ws):
        return 0
    changed = 0
    with db.connect(ws) as con, db.transaction(con):
        rows = con.execute(
            "SELECT message_id, payload FROM outbox WHERE purpose = ? AND "
            "starts_with(journey_id, ?) AND contains(payload, ?)",
            # the id as the JSON text holds it (a quote or backslash in it is escaped there)
            [PURPOSE, PREFIX, json.dumps(customer_id, ensure_ascii=False)[1:-1]],
        ).fetchall()
        for mid, raw in rows:
            payload = json.loads(raw)
            hit = False
            for m in payload["movements"]:
                if customer_id in m["examples"]:
                    m["examples"] = [c for c in m["examples"] if c != customer_id]
                    hit = True
            if not hit:
                continue
            subject, body = render(payload, payload["lang"])
            payload |= {"subject": subject, "text": body}
            con.execute(
                "UPDATE outbox SET subject = ?, body = ?, payload = ? WHERE message_id = ?",
                [subject, body, json.dumps(payload, ensure_ascii=False, sort_keys=True), mid],
            )
            changed += 1
    return changed
