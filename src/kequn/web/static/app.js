// kequn dashboard: charts (Apache ECharts, vendored) and the few interactive parts.
// Everything is fetched from this server's own API; nothing leaves 127.0.0.1.
"use strict";

const LANG = document.body.dataset.lang || "en";
const fill = (template, values) => template.replace(/\{(\w+)\}/g, (_, k) => (k in values ? values[k] : ""));
// a message of a count: the element's data-NAME, or data-NAME-one for a count of one
// ("1 row", not "1 rows": the server renders both, kequn.core.i18n._Counted)
const counted = (el, name, n) => (Number(n) === 1 && el.dataset[`${name}One`]) || el.dataset[name];
// ECharts renders tooltip formatters' strings as HTML: every name in them comes from the
// taxonomy or the data, so it goes through esc() (chart labels are drawn on the canvas,
// as text). Everything else on the page is set with textContent, never innerHTML.
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
const fmt = (n) => (LANG === "zh" && Math.abs(n) >= 1e4 ? (n / 1e4).toFixed(1) + "万" : Number(n).toLocaleString(LANG === "zh" ? "zh-CN" : "en-US"));

async function api(path, options = {}) {
  const response = await fetch(path, { credentials: "same-origin", headers: { "Accept": "application/json" }, ...options });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error((body.error && body.error.message) || response.statusText);
  return body;
}

function chart(id) {
  const el = document.getElementById(id);
  if (!el || !window.echarts) return null;
  const c = echarts.init(el, null, { renderer: "canvas" });
  window.addEventListener("resize", () => c.resize());
  // set once the first render and its entry animation are complete (tests and screenshots wait for it)
  c.on("finished", () => { el.dataset.drawn = "1"; });
  return c;
}

function overviewCharts() {
  const node = document.getElementById("charts-data");
  if (!node) return;
  const data = JSON.parse(node.textContent);
  const dims = Object.fromEntries(data.dimensions.map((d) => [d.dimension, d]));
  const counts = (id) => (dims[id] ? dims[id].labels.filter((l) => l.count > 0) : []);
  const pyramid = chart("chart-pyramid");
  if (pyramid) {
    // tiers from the top of the pyramid down, whatever their sizes
    const tiers = ["high", "potential_high", "medium", "low", "none"];
    const labels = counts("value").sort((a, b) => tiers.indexOf(a.label) - tiers.indexOf(b.label));
    pyramid.setOption({
      tooltip: { trigger: "item", formatter: (p) => `${esc(p.name)}: ${esc(fmt(p.value))}` },
      series: [{ type: "funnel", sort: "none", gap: 2, minSize: "20%", left: "4%", width: "58%", label: { formatter: (p) => `${p.name} ${fmt(p.value)}` },
        data: labels.map((l) => ({ name: l.name, value: l.count })) }],
    });
  }
  const funnel = chart("chart-funnel");
  if (funnel) {
    const order = ["prospect", "new", "active", "loyal", "dormant", "churned"];
    const labels = counts("lifecycle").sort((a, b) => order.indexOf(a.label) - order.indexOf(b.label));
    funnel.setOption({
      tooltip: { trigger: "axis", formatter: (ps) => ps.map((p) => `${esc(p.name)}: ${esc(fmt(p.value))}`).join("<br>") },
      grid: { left: 90, right: 30, top: 10, bottom: 25 },
      xAxis: { type: "value" }, yAxis: { type: "category", inverse: true, data: labels.map((l) => l.name) },
      series: [{ type: "bar", data: labels.map((l) => l.count), label: { show: true, position: "right", formatter: (p) => fmt(p.value) } }],
    });
  }
  const rfm = chart("chart-rfm");
  if (rfm) {
    const cells = data.rfm.map((c) => [c.f - 1, c.r - 1, c.customers]);
    const max = Math.max(1, ...data.rfm.map((c) => c.customers));
    rfm.setOption({
      tooltip: { formatter: (p) => `R${p.value[1] + 1} F${p.value[0] + 1}: ${esc(fmt(p.value[2]))}` },
      grid: { left: 60, right: 20, top: 10, bottom: 60 },
      xAxis: { type: "category", name: data.text.f, nameLocation: "middle", nameGap: 28, data: ["1", "2", "3", "4", "5"] },
      yAxis: { type: "category", name: data.text.r, nameLocation: "middle", nameGap: 30, data: ["1", "2", "3", "4", "5"] },
      visualMap: { min: 0, max, orient: "horizontal", left: "center", bottom: 0, itemHeight: 120, calculable: false, show: false },
      series: [{ type: "heatmap", data: cells, label: { show: true, formatter: (p) => fmt(p.value[2]) } }],
    });
  }
  const flow = chart("chart-flow");
  if (flow) {
    // no earlier run, or no customer in both runs (the earlier one had none, say): a
    // sentence instead of an empty chart
    const moved = data.flow ? data.flow.moves.filter((m) => m.customers > 0 && m.before !== "(absent)" && m.after !== "(absent)") : [];
    if (moved.length === 0) {
      document.getElementById("chart-flow").hidden = true;
      document.getElementById(data.flow ? "flow-empty" : "flow-none").hidden = false;
    } else {
      // each side's labels are named by its own run's taxonomy (a label may have been
      // renamed or removed since); node ids say which side they are on (two runs may
      // share an as-of date); labels show the label's name and the run's date
      const latest = data.names.lifecycle || {};
      const named = data.flow_names || { before: latest, after: latest };
      const names = { b: named.before || {}, a: named.after || {} };
      const side = { b: data.flow.before.as_of, a: data.flow.after.as_of };
      const name = (id) => (Object.hasOwn(names[id[0]], id.slice(2)) ? names[id[0]][id.slice(2)] : id.slice(2));
      const display = (id) => `${name(id)} (${side[id[0]]})`;
      const moves = moved;
      const nodes = new Set();
      moves.forEach((m) => { nodes.add("b:" + m.before); nodes.add("a:" + m.after); });
      flow.setOption({
        tooltip: { trigger: "item", formatter: (p) => (p.dataType === "edge"
          ? `${esc(display(p.data.source))} → ${esc(display(p.data.target))}: ${esc(fmt(p.data.value))}`
          : `${esc(display(p.name))}: ${esc(fmt(p.value))}`) },
        series: [{ type: "sankey", left: 8, right: 140, emphasis: { focus: "adjacency" }, nodeGap: 8,
          label: { formatter: (p) => display(p.name) },
          data: [...nodes].map((n) => ({ name: n })),
          links: moves.map((m) => ({ source: "b:" + m.before, target: "a:" + m.after, value: m.customers })) }],
      });
    }
  }
  document.querySelectorAll("[data-dim-chart]").forEach((el) => {
    const labels = counts(el.dataset.dimChart);
    const c = echarts.init(el);
    c.setOption({
      tooltip: { trigger: "item", formatter: (p) => `${esc(p.name)}: ${esc(fmt(p.value))} (${esc(p.percent)}%)` },
      series: [{ type: "pie", radius: ["45%", "75%"], label: { show: false }, data: labels.map((l) => ({ name: l.name, value: l.count })) }],
    });
    window.addEventListener("resize", () => c.resize());
  });
}

function customerChart() {
  const node = document.getElementById("timeline-data");
  const c = chart("chart-orders");
  if (!node || !c) return;
  const orders = JSON.parse(node.textContent);
  c.setOption({
    tooltip: { trigger: "axis", formatter: (ps) => ps.map((p) => `${esc(p.value[0])}: ${esc(fmt(p.value[1]))}`).join("<br>") },
    grid: { left: 60, right: 20, top: 10, bottom: 30 },
    xAxis: { type: "time" }, yAxis: { type: "value" },
    series: [{ type: "bar", barMaxWidth: 8, data: orders.map((o) => [o.date, o.status === "paid" ? o.amount : 0]) }],
  });
}

async function pollJob(id, onStep) {
  for (;;) {
    const job = await api(`/api/jobs/${id}`);
    onStep(job);
    if (job.state !== "running") return job;
    await new Promise((r) => setTimeout(r, 500));
  }
}

function runButton() {
  const button = document.getElementById("start-run");
  const status = document.getElementById("run-status");
  if (!button) return;
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      const job = await api("/api/runs", { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" });
      const done = await pollJob(job.id, (j) => { status.textContent = fill(status.dataset.running, { step: j.step_text || j.step || "…" }); });
      if (done.state === "done") {
        status.textContent = fill(counted(status, "done", done.result.customers), { customers: fmt(done.result.customers) });
        status.className = "good";
        setTimeout(() => window.location.reload(), 800);
      } else {
        status.textContent = fill(status.dataset.failed, { error: done.error });
        status.className = "bad";
      }
    } catch (e) {
      status.textContent = fill(status.dataset.failed, { error: e.message });
      status.className = "bad";
    } finally {
      button.disabled = false;
    }
  });
  // the page renders it disabled: clicked before this script ran, it would do nothing
  button.disabled = false;
}

function uploadForm() {
  const form = document.getElementById("upload-form");
  if (!form) return;
  const status = document.getElementById("upload-status");
  // a job followed to its end, its step said as it goes
  const finished = (job) => pollJob(job.id, (j) => { status.textContent = fill(status.dataset.running, { step: j.step_text || j.step || "…" }); });
  // a labelled choice of the forms below
  const choice = (fields, text, select) => {
    const label = document.createElement("label");
    label.textContent = `${text} `;
    label.appendChild(select);
    fields.appendChild(label);
  };
  const mapForm = document.getElementById("upload-map");
  const mapFields = document.getElementById("upload-map-fields");
  // a file lacking required columns: the job says which, and the file's headers; the
  // user picks a header for each and the same file is uploaded again with them
  const askColumns = (wanted) => {
    mapFields.replaceChildren();
    (wanted.missing || []).forEach((name) => {
      const select = document.createElement("select");
      select.dataset.column = name;
      select.required = true;
      const none = document.createElement("option");
      none.value = "";
      none.textContent = mapForm.dataset.pick;
      select.appendChild(none);
      (wanted.headers || []).forEach((header) => {
        const option = document.createElement("option");
        option.value = header;
        option.textContent = header;
        select.appendChild(option);
      });
      choice(mapFields, `${(wanted.labels || {})[name] || name} (${name})`, select);
    });
    mapForm.hidden = mapFields.children.length === 0;
    return !mapForm.hidden;
  };
  const upload = async (columns) => {
    const table = document.getElementById("upload-table").value;
    const body = new FormData();
    body.append("file", document.getElementById("upload-file").files[0]);
    if (columns) body.append("columns", JSON.stringify(columns));
    status.className = "muted";
    mapForm.hidden = true;
    try {
      // ticked: the orders' (or interactions') unknown customers are made, as
      // `kequn import --create-customers` does; unticked: the import's own default
      const create = table !== "customers" && document.getElementById("upload-create").checked ? "?create_customers=true" : "";
      const job = await api(`/api/imports/${table}${create}`, { method: "POST", body });
      const done = await finished(job);
      if (done.state !== "done") {
        // the form says what is missing, in the page's words (the job's message advises
        // the command's --mapping)
        if (done.wanted && askColumns(done.wanted)) {
          status.textContent = "";
          return;
        }
        throw new Error(done.error);
      }
      const r = done.result;
      // what the import found (format, notes, the columns' use), as `kequn import` says it
      const said = document.getElementById("upload-said");
      said.replaceChildren();
      (r.said || []).forEach((line) => {
        const li = document.createElement("li");
        li.textContent = line.text;
        if (line.warn) li.className = "warn";
        said.appendChild(li);
      });
      said.hidden = said.children.length === 0;
      await showQuarantine(table, r.file, r.rejected || r.warnings);
      askWords(table === "orders" ? r.unknown_statuses : null, r.file);
      // the counts last, once the report they sum up is there to read
      status.textContent = fill(counted(status, "report", r.rows), { total: fmt(r.rows), accepted: fmt(r.accepted), rejected: fmt(r.rejected) });
      status.className = r.rejected ? "bad" : "good";
    } catch (e) {
      status.textContent = e.message;
      status.className = "bad";
    }
  };
  const showQuarantine = async (table, file, any) => {
    const rows = document.querySelector("#quarantine tbody");
    rows.replaceChildren();
    // the job keeps no personal data: the rows and their messages come from the
    // quarantine itself (masked for those who may not see personal data, and audited)
    const found = any ? await api(`/api/quarantine?table=${encodeURIComponent(table)}&limit=1000`) : [];
    found.filter((q) => q.file === file).forEach((q) => {
      const tr = document.createElement("tr");
      // a workbook of several sheets: the sheet and the row as that sheet numbers it
      [q.sheet ? `${q.sheet} · ${q.row}` : q.row, q.column_label || q.column || "", q.message].forEach((v) => { const td = document.createElement("td"); td.textContent = v; tr.appendChild(td); });
      rows.appendChild(tr);
    });
    document.getElementById("upload-report").hidden = rows.children.length === 0;
  };
  // order status words nobody looked up (their orders quarantined): the user says what
  // each means and the quarantined rows are read again, as `kequn quarantine retry
  // --mapping` with `statuses:` does
  const wordsForm = document.getElementById("upload-words");
  const wordsFields = document.getElementById("upload-words-fields");
  const askWords = (unknown, file) => {
    wordsFields.replaceChildren();
    Object.entries(unknown || {}).forEach(([word, count]) => {
      const select = document.getElementById("upload-words-choices").content.firstElementChild.cloneNode(true);
      select.dataset.word = word;
      choice(wordsFields, `${word} (${fill(counted(wordsForm, "count", count), { count: fmt(count) })})`, select);
    });
    wordsForm.dataset.file = file || "";
    wordsForm.hidden = wordsFields.children.length === 0;
  };
  wordsForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const statuses = {};
    wordsFields.querySelectorAll("select").forEach((s) => { if (s.value) statuses[s.dataset.word] = s.value; });
    const create = document.getElementById("upload-create").checked ? true : null;
    status.className = "muted";
    try {
      const job = await api("/api/quarantine/retry", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ table: "orders", statuses, create_customers: create }) });
      const done = await finished(job);
      if (done.state !== "done") throw new Error(done.error);
      const r = done.result;
      const file = wordsForm.dataset.file;
      const still = {};
      (r.files || []).filter((f) => f.file === file).forEach((f) => Object.assign(still, f.unknown_statuses || {}));
      await showQuarantine("orders", file, true);
      askWords(still, file);
      status.textContent = fill(counted(status, "report", r.rows), { total: fmt(r.rows), accepted: fmt(r.accepted), rejected: fmt(r.rejected) });
      status.className = r.rejected ? "bad" : "good";
    } catch (e) {
      status.textContent = e.message;
      status.className = "bad";
    }
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    upload(null);
  });
  mapForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const columns = {};
    mapFields.querySelectorAll("select").forEach((s) => { if (s.value) columns[s.dataset.column] = s.value; });
    upload(columns);
  });
  // a new file or table: the columns asked for the last one no longer apply
  ["upload-file", "upload-table"].forEach((id) => document.getElementById(id).addEventListener("change", () => { mapForm.hidden = true; wordsForm.hidden = true; }));
  // making customers is for the files that name them (orders, interactions)
  const tableSelect = document.getElementById("upload-table");
  const createLabel = document.getElementById("upload-create-label");
  const showCreate = () => { createLabel.style.display = tableSelect.value === "customers" ? "none" : ""; };
  tableSelect.addEventListener("change", showCreate);
  showCreate();
  // rendered disabled, so a click before this script ran cannot submit the form as a plain GET
  document.getElementById("upload-submit").disabled = form.dataset.allowed !== "1";
}

function ruleEditor() {
  const box = document.getElementById("rules");
  if (!box) return;
  const dimension = box.dataset.dimension;
  box.querySelectorAll(".rule").forEach((rule) => {
    const text = rule.querySelector(".rule-text");
    const status = rule.querySelector(".rule-status");
    const save = rule.querySelector(".rule-save");
    let timer = null;
    let original = text.defaultValue;
    const check = async () => {
      try {
        const r = await api("/api/taxonomy/preview", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ rule: text.value, dimension }) });
        if (r.ok) {
          status.textContent = fill(box.dataset.preview, { matched: fmt(r.matched), share: (100 * r.share).toFixed(1) + "%" });
          status.className = "rule-status good";
          if (save) save.disabled = text.value === original;
        } else {
          status.textContent = fill(box.dataset.invalid, { error: r.error });
          status.className = "rule-status bad";
          if (save) save.disabled = true;
        }
      } catch (e) {
        status.textContent = e.message;
        status.className = "rule-status bad";
      }
    };
    text.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(check, 300); });
    if (text.value !== original) check(); // typed before this script ran
    if (save) {
      save.addEventListener("click", async () => {
        save.disabled = true;
        try {
          const current = await api("/api/taxonomy");
          const edited = replaceRule(current.text, dimension, rule.dataset.label, text.value);
          if (edited === null) {
            status.textContent = fill(box.dataset.unfound, { label: rule.dataset.label });
            status.className = "rule-status bad";
            return;
          }
          await api("/api/taxonomy", { method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ text: edited }) });
          original = text.value;
          status.textContent = box.dataset.saved;
          status.className = "rule-status good";
        } catch (e) {
          status.textContent = fill(box.dataset.invalid, { error: e.message });
          status.className = "rule-status bad";
        }
      });
    }
  });
}

// Replace one label's own `when:` in the YAML text, keeping comments and layout elsewhere.
// Only the label's own key: its reasons have `when:`s of their own (deeper in a block
// label, nested in a flow one, and maybe an anchor other labels share), which are not it.
function replaceRule(yaml, dimension, label, rule) {
  const lines = yaml.split("\n");
  const indent = (line) => line.length - line.trimStart().length;
  const skipped = (line) => line.trim() === "" || line.trimStart().startsWith("#");
  // the dimensions are the items of `dimensions:` at its first item's indent: two
  // spaces as kequn writes the file, none as PyYAML and many editors write lists
  const start = lines.findIndex((line) => /^dimensions:/.test(line));
  let dimIndent = -1;
  let inDim = false;
  for (let i = start + 1; start >= 0 && i < lines.length; i++) {
    if (skipped(lines[i])) continue;
    if (indent(lines[i]) === 0 && !lines[i].startsWith("-")) break; // the next top-level key
    const item = lines[i].match(/^(\s*)- (\{\s*)?id: ([a-z0-9_]+)/);
    if (item && (dimIndent < 0 || item[1].length === dimIndent)) {
      dimIndent = item[1].length;
      inDim = item[3] === dimension;
      continue;
    }
    const labelMatch = inDim && item && item[1].length > dimIndent ? item : null;
    if (!labelMatch || labelMatch[3] !== label) continue;
    if (labelMatch[2]) { // a flow mapping: {id: x, ..., when: "...", ...}
      const text = lines.join("\n");
      const at = lines.slice(0, i).reduce((n, line) => n + line.length + 1, 0) + labelMatch[1].length + 2;
      const found = flowWhen(text, at);
      if (found) return text.slice(0, found[0]) + JSON.stringify(rule) + text.slice(found[1]);
      break;
    }
    const keys = labelMatch[1].length + 2; // the column of the label's own keys
    for (let j = i + 1; j < lines.length; j++) {
      if (skipped(lines[j])) continue;
      if (indent(lines[j]) < keys) break; // the next label, or the dimension's next key
      if (indent(lines[j]) === keys && lines[j].slice(keys).startsWith("when:")) {
        // the value's continuation lines too (a folded `>-` rule, a plain one over lines)
        let end = j + 1;
        while (end < lines.length && (lines[end].trim() === "" || indent(lines[end]) > keys)) end++;
        while (end > j + 1 && lines[end - 1].trim() === "") end--;
        lines.splice(j, end - j, `${" ".repeat(keys)}when: ${JSON.stringify(rule)}`);
        return lines.join("\n");
      }
    }
    break;
  }
  return null; // not found: the caller says so (the rule itself may be fine)
}

// In the flow mapping opening at text[open] ("{"), where the value of its own `when:` key
// starts and ends, or null: quoted text, nested mappings and lists, comments are skipped.
function flowWhen(text, open) {
  const quoted = (k) => { // k at an opening quote: the index just after its closing one
    const q = text[k];
    for (k++; k < text.length; k++) {
      if (q === '"' && text[k] === "\\") k++;
      else if (text[k] === q) {
        if (q === "'" && text[k + 1] === "'") k++;
        else return k + 1;
      }
    }
    return k;
  };
  let depth = 0;
  for (let k = open; k < text.length; k++) {
    const c = text[k];
    if (c === '"' || c === "'") { k = quoted(k) - 1; continue; }
    if (c === "#" && /\s/.test(text[k - 1])) { while (k < text.length && text[k] !== "\n") k++; continue; }
    if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") { depth--; if (depth === 0) return null; }
    else if (depth === 1 && /[{,\s]/.test(text[k - 1]) && text.startsWith("when:", k)) {
      let v = k + 5;
      while (text[v] === " ") v++;
      if (text[v] === '"' || text[v] === "'") return [v, quoted(v)];
      let e = v;
      while (e < text.length && !",}\n".includes(text[e])) e++;
      while (e > v && text[e - 1] === " ") e--;
      return [v, e];
    }
  }
  return null;
}

document.addEventListener("DOMContentLoaded", () => {
  overviewCharts();
  customerChart();
  runButton();
  uploadForm();
  ruleEditor();
});
