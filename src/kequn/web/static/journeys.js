// kequn dashboard: the journeys pages (the journeys.yaml editor, the audience preview,
// switching a journey on or off, dead-letter replay, the uplift charts). Text is set
// with textContent; chart tooltips escape every name (see app.js).
"use strict";

(() => {
  const LANG = document.body.dataset.lang || "en";
  const fill = (template, values) => template.replace(/\{(\w+)\}/g, (_, k) => (k in values ? values[k] : ""));
  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  const num = (n) => Number(n).toLocaleString(LANG === "zh" ? "zh-CN" : "en-US");
  const pct = (x) => (x === null || x === undefined ? "–" : (100 * x).toFixed(1) + "%");
  const money = (x) => (x === null || x === undefined ? "–" : Number(x).toLocaleString(LANG === "zh" ? "zh-CN" : "en-US", { maximumFractionDigits: 2 }));

  // JSON in and out; an error answer's body is returned too (it lists the problems)
  async function call(path, method, body) {
    const options = { method, credentials: "same-origin", headers: { "Accept": "application/json" } };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    const response = await fetch(path, options);
    const data = await response.json().catch(() => ({}));
    return { ok: response.ok, status: response.status, data };
  }

  function showProblems(list, problems) {
    list.replaceChildren();
    problems.forEach((p) => {
      const li = document.createElement("li");
      li.textContent = p;
      list.appendChild(li);
    });
  }

  function editor() {
    const box = document.getElementById("journeys-editor");
    if (!box) return;
    const text = document.getElementById("journeys-text");
    const status = document.getElementById("journeys-status");
    const problems = document.getElementById("journeys-problems");
    const checkButton = document.getElementById("journeys-check");
    const saveButton = document.getElementById("journeys-save");
    const journey = box.dataset.journey;
    let version = box.dataset.version;
    let original = text.defaultValue;
    let timer = null;

    const setStatus = (message, good) => {
      status.textContent = message;
      status.className = good ? "good" : "bad";
    };
    const check = async () => {
      const r = await call("/api/journeys/validate", "POST", { text: text.value });
      if (!r.ok) { setStatus(r.data.error ? r.data.error.message : String(r.status), false); return false; }
      if (!r.data.ok) {
        setStatus(box.dataset.invalid, false);
        showProblems(problems, r.data.problems.map((p) => p.text));
        if (saveButton) saveButton.disabled = true;
        return false;
      }
      showProblems(problems, []);
      setStatus(r.data.message, true);
      if (saveButton) saveButton.disabled = text.value === original;
      if (journey) preview(text.value);
      return true;
    };
    if (checkButton) {
      checkButton.addEventListener("click", check);
      checkButton.disabled = false;
    }
    text.addEventListener("input", () => {
      if (saveButton) saveButton.disabled = false;
      clearTimeout(timer);
      timer = setTimeout(check, 600);
    });
    if (saveButton) {
      saveButton.addEventListener("click", async () => {
        clearTimeout(timer);
        saveButton.disabled = true;
        // checked first: invalid text is shown with its lines and never sent to be saved
        if (!(await check())) return;
        saveButton.disabled = true;
        const r = await call("/api/journeys", "PUT", { text: text.value, version });
        if (r.ok) {
          version = r.data.version;
          original = text.value;
          showProblems(problems, []);
          setStatus(box.dataset.saved, true);
          return;
        }
        const error = r.data.error || {};
        setStatus(error.problems ? box.dataset.invalid : (error.message || String(r.status)), false);
        showProblems(problems, (error.problems || []).map((p) => (p.line ? `${p.line}: ${p.message}` : p.message)));
        if (error.problems) check(); // the same problems, worded in the page's language
        saveButton.disabled = false;
      });
    }
    // the saved journey's preview (a file that does not parse has none to show)
    if (journey && document.getElementById("journey-summary")) preview(null);
  }

  async function preview(edited) {
    const box = document.getElementById("preview");
    const audience = document.getElementById("preview-audience");
    if (!box || !audience) return;
    const error = document.getElementById("preview-error");
    const r = await call(`/api/journeys/${encodeURIComponent(box.dataset.journey)}/preview`, "POST", edited === null ? {} : { text: edited });
    if (!r.ok) {
      error.textContent = r.data.error ? r.data.error.message : String(r.status);
      return;
    }
    error.textContent = "";
    audience.textContent = fill(audience.dataset.template, { audience: num(r.data.audience) });
    audience.dataset.count = String(r.data.audience);
    box.querySelectorAll("tr[data-outcome]").forEach((row) => {
      row.querySelector(".preview-count").textContent = num(r.data.outcomes[row.dataset.outcome] || 0);
    });
  }

  function toggle() {
    const button = document.getElementById("journey-toggle");
    if (!button) return;
    const box = document.getElementById("journey-summary");
    const status = document.getElementById("toggle-status");
    button.addEventListener("click", async () => {
      button.disabled = true;
      const enabled = button.dataset.enabled !== "1";
      const r = await call(`/api/journeys/${encodeURIComponent(box.dataset.journey)}/enabled`, "POST", { enabled });
      if (!r.ok) {
        status.textContent = r.data.error ? r.data.error.message : String(r.status);
        status.className = "bad";
        button.disabled = false;
        return;
      }
      status.textContent = enabled ? box.dataset.on : box.dataset.off;
      // the file changed: the page (and its editor's version) is shown again
      window.location.reload();
    });
    button.disabled = false;
  }

  function replay() {
    const log = document.getElementById("delivery-log");
    if (!log) return;
    log.querySelectorAll("button.replay").forEach((button) => {
      button.addEventListener("click", async () => {
        button.disabled = true;
        const r = await call(`/api/journeys/messages/${encodeURIComponent(button.dataset.id)}/replay`, "POST");
        const cell = button.closest("tr").querySelector(".message-status");
        cell.textContent = r.ok ? log.dataset.replayed : (r.data.error ? r.data.error.message : String(r.status));
        cell.className = r.ok ? "message-status good" : "message-status bad";
      });
    });
  }

  // one chart per measure: treated and holdout as bars, the difference as a bar; each
  // with its 95% interval as an error bar where the report gives one
  function upliftChart(id, entries, format, text) {
    const el = document.getElementById(id);
    if (!el || !window.echarts) return;
    const c = echarts.init(el, null, { renderer: "canvas" });
    window.addEventListener("resize", () => c.resize());
    c.on("finished", () => { el.dataset.drawn = "1"; });
    const names = entries.map((e) => e.name);
    const bars = entries.map((e) => (e.value === null ? 0 : e.value));
    const whiskers = entries.map((e, i) => (e.ci ? [i, e.ci[0], e.ci[1]] : null)).filter((w) => w);
    c.setOption({
      title: { text: text, left: "center", textStyle: { fontSize: 13 } },
      tooltip: { trigger: "item", formatter: (p) => {
        const e = entries[p.dataIndex] || entries[p.value[0]];
        const ci = e.ci ? ` [${esc(format(e.ci[0]))}, ${esc(format(e.ci[1]))}]` : "";
        return `${esc(e.name)}: ${esc(format(e.value))}${ci}`;
      } },
      grid: { left: 70, right: 20, top: 45, bottom: 30 },
      xAxis: { type: "category", data: names },
      yAxis: { type: "value", axisLabel: { formatter: (v) => format(v) } },
      series: [
        { type: "bar", barMaxWidth: 48, data: bars, itemStyle: { color: (p) => ["#2563eb", "#9ca3af", "#15803d"][p.dataIndex] } },
        // encode: the intervals count in the axis range, so a whisker is never cut off
        { type: "custom", data: whiskers, z: 10, encode: { x: 0, y: [1, 2] }, renderItem: (params, api) => {
          const x = api.value(0);
          const low = api.coord([x, api.value(1)]);
          const high = api.coord([x, api.value(2)]);
          const half = api.size([1, 0])[0] * 0.1;
          const style = { stroke: "#111827", lineWidth: 1.5 };
          return { type: "group", children: [
            { type: "line", shape: { x1: low[0], y1: low[1], x2: high[0], y2: high[1] }, style },
            { type: "line", shape: { x1: low[0] - half, y1: low[1], x2: low[0] + half, y2: low[1] }, style },
            { type: "line", shape: { x1: high[0] - half, y1: high[1], x2: high[0] + half, y2: high[1] }, style },
          ] };
        } },
      ],
    });
  }

  function upliftCharts() {
    const node = document.getElementById("uplift-data");
    if (!node) return;
    const data = JSON.parse(node.textContent);
    const u = data.uplift;
    const text = data.text;
    const span = (d) => (d && d.ci_low !== null ? [d.ci_low, d.ci_high] : null);
    upliftChart("chart-uplift-conversion", [
      { name: text.treated, value: u.treated.conversion, ci: u.treated.conversion_ci },
      { name: text.holdout, value: u.holdout.conversion, ci: u.holdout.conversion_ci },
      { name: text.difference, value: u.conversion_difference ? u.conversion_difference.difference : null, ci: span(u.conversion_difference) },
    ], pct, text.conversion);
    upliftChart("chart-uplift-revenue", [
      { name: text.treated, value: u.treated.revenue_per_customer, ci: null },
      { name: text.holdout, value: u.holdout.revenue_per_customer, ci: null },
      { name: text.difference, value: u.revenue_difference ? u.revenue_difference.difference : null, ci: span(u.revenue_difference) },
    ], money, text.revenue);
  }

  document.addEventListener("DOMContentLoaded", () => {
    editor();
    toggle();
    replay();
    upliftCharts();
  });
})();
