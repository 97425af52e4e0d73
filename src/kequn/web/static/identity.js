// kequn dashboard: the identity review page. Each button sends the analyst's decision
// (POST /api/identity/decisions, the same decision as `kequn identity confirm|reject`);
// a decided pair leaves the list. Text is set with textContent, never as HTML.
"use strict";

(() => {
  const box = document.getElementById("identity-review");
  if (!box) return;
  const status = document.getElementById("identity-status");
  const fill = (template, values) => template.replace(/\{(\w+)\}/g, (_, k) => (k in values ? String(values[k]) : ""));

  const say = (message, good) => {
    status.textContent = message;
    status.className = good ? "good" : "bad";
  };

  async function decide(row, decision) {
    const buttons = row.querySelectorAll("button");
    buttons.forEach((b) => { b.disabled = true; });
    const body = { a: row.dataset.a, b: row.dataset.b, decision };
    let response;
    let data = {};
    try {
      response = await fetch("/api/identity/decisions", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Accept": "application/json", "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
      data = await response.json().catch(() => ({}));
    } catch (exc) {
      response = null;
      data = { error: { message: String(exc) } };
    }
    if (!response || !response.ok) {
      const error = data.error ? data.error.message : String(response ? response.status : "");
      say(fill(box.dataset.failed, { error }), false);
      buttons.forEach((b) => { b.disabled = false; });
      return;
    }
    const template = decision === "confirm" ? box.dataset.confirmed : box.dataset.rejected;
    say(fill(template, { a: body.a, b: body.b, persons: data.persons }), true);
    row.remove();
  }

  box.querySelectorAll("tr.pair").forEach((row) => {
    row.querySelectorAll("button[data-decision]").forEach((button) => {
      button.addEventListener("click", () => decide(row, button.dataset.decision));
    });
  });
})();

// The customer page: the customer's sources and source records (with lineage) and the
// links identity resolution made between them, from GET /api/customers/{id}/records.
(() => {
  const box = document.getElementById("linked");
  if (!box) return;
  const fill = (template, values) => template.replace(/\{(\w+)\}/g, (_, k) => (k in values ? String(values[k]) : ""));
  const cell = (row, text, className) => {
    const td = document.createElement("td");
    td.textContent = text === null || text === undefined || text === "" ? "–" : String(text);
    if (className) td.className = className;
    row.appendChild(td);
    return td;
  };
  const state = (link) => {
    if (link.decision === "confirm" || link.decision === "reject") return box.dataset[link.decision];
    return link.accepted ? box.dataset.accepted : box.dataset.open;
  };

  async function load() {
    const response = await fetch("/api/customers/" + encodeURIComponent(box.dataset.customer) + "/records", {
      credentials: "same-origin",
      headers: { "Accept": "application/json" },
    });
    if (!response.ok) { box.hidden = true; return; }
    const data = await response.json();
    let summary = fill(box.dataset.sources, { sources: data.sources.join(", ") || box.dataset.none });
    if (data.person_id) summary += " · " + fill(box.dataset.person, { person: data.person_id });
    document.getElementById("linked-sources").textContent = summary;
    const records = document.querySelector("#linked-records tbody");
    data.records.forEach((r) => {
      const tr = document.createElement("tr");
      tr.dataset.record = r.record_id;
      cell(tr, r.source || box.dataset.none);
      cell(tr, r.source_id, "code");
      // a workbook of several sheets: the sheet and the sheet's own row, as Excel shows it
      const place = r.sheet ? r.sheet + " · " + r.row : r.row;
      cell(tr, r.row === null || r.row === undefined ? r.file : (r.file || "–") + " · " + place);
      cell(tr, r.city);
      records.appendChild(tr);
    });
    if (data.links.length) {
      const links = document.getElementById("linked-links");
      const body = links.querySelector("tbody");
      data.links.forEach((l) => {
        const tr = document.createElement("tr");
        cell(tr, l.a + " ↔ " + l.b);
        cell(tr, l.rule);
        cell(tr, l.probability === null || l.probability === undefined ? null : Number(l.probability).toFixed(3), "num");
        cell(tr, state(l));
        cell(tr, l.evidence, "muted");
        body.appendChild(tr);
      });
      links.hidden = false;
      document.getElementById("linked-links-title").hidden = false;
    }
    box.dataset.loaded = "1";
  }
  load();
})();
