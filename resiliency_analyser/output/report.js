"use strict";
// Builds the report from the embedded data. Every value from AWS goes into the page as a text
// node (or an attribute set with setAttribute): nothing here parses markup.
(function () {
  const data = JSON.parse(document.getElementById("report-data").textContent);
  const findings = data.findings;
  const SEVERITIES = ["high", "medium", "low"];
  const RANK = { high: 0, medium: 1, low: 2, none: 3 };
  const SVG = "http://www.w3.org/2000/svg";
  const GOES_DOWN = "goes down with it";

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
    for (const child of children) {
      if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  function svgEl(tag, attributes, ...children) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
    node.append(...children.map(String));
    return node;
  }

  function plural(n, word) {
    return `${n} ${word}${n === 1 ? "" : "s"}`;
  }

  function severityBadge(severity) {
    return el("span", { class: `sev sev-${severity}` }, severity);
  }

  function zoneText(zones) {
    return zones.map(([name, id]) => (id ? `${name} (${id})` : name)).join(", ") || "—";
  }

  function isOpen(f) {
    return f.k && !f.u;
  }

  // Heat map: unaccepted risks per service and region; with several accounts, per account (rows)
  // and check, region or AZ ID (columns, the reader's choice).
  function heatMap() {
    if (new Set(findings.map((f) => f.a)).size > 1) {
      accountHeatMap();
      return;
    }
    const regions = [...new Set(findings.map((f) => f.r))].sort();
    const cells = new Map();
    for (const f of findings) {
      const key = `${f.s}\u0000${f.r}`;
      const cell = cells.get(key) || { risks: 0, total: 0 };
      cell.total += 1;
      if (isOpen(f)) cell.risks += 1;
      cells.set(key, cell);
    }
    const rows = [...new Set([...cells.keys()].map((k) => k.split("\u0000")[0]))].sort();
    const target = document.getElementById("heatmap-table");
    if (!rows.length) {
      target.append(el("p", null, "No findings."));
      return;
    }
    const most = Math.max(1, ...[...cells.values()].map((c) => c.risks));
    const head = el("tr", null, el("th", null, "service"));
    for (const region of regions) head.append(el("th", { class: "num" }, region));
    const body = el("tbody");
    for (const row of rows) {
      const tr = el("tr", null, el("th", { scope: "row" }, row));
      for (const region of regions) tr.append(heatCell(cells.get(`${row}\u0000${region}`), most));
      body.append(tr);
    }
    target.append(el("table", { class: "heat" }, el("thead", null, head), body));
  }

  function heatCell(cell, most, located) {
    if (!cell) return el("td", { class: "cell empty", title: located ? "no risk located here" : "no findings" }, "–");
    const level = cell.risks === 0 ? 0 : Math.min(4, 1 + Math.floor((3 * cell.risks) / most));
    const title = located
      ? `${plural(cell.risks, "unaccepted risk")} located here, ${cell.total - cell.risks} accepted`
      : `${plural(cell.risks, "unaccepted risk")} of ${plural(cell.total, "finding")}`;
    return el("td", { class: `cell h${level}`, title }, located ? String(cell.risks) : `${cell.risks} / ${cell.total}`);
  }

  function accountLabel(id) {
    const name = data.names[id];
    return name ? `${id} (${name})` : id;
  }

  // Columns of the per-account heat map: a finding's cell, or null for none (a risk located in
  // no single AZ has no AZ ID column).
  const AXES = {
    check: { title: "check", key: (f) => f.s },
    region: { title: "region", key: (f) => f.r },
    zone: { title: "AZ ID", key: (f) => (f.k && f.l ? f.l : null), located: true },
  };

  function accountHeatMap() {
    const section = document.getElementById("heatmap");
    section.querySelector("h2").textContent = "Unaccepted risks by account";
    section.querySelector(".hint").textContent =
      "Each cell: unaccepted risks / findings (by AZ ID: the unaccepted risks located in that zone). Accounts with the most unaccepted risks first; choose one to filter the findings table.";
    const target = document.getElementById("heatmap-table");
    const select = el("select", { name: "axis" }, ...Object.entries(AXES).map(([key, axis]) => el("option", { value: key }, axis.title)));
    target.before(el("label", { class: "axis" }, "columns: ", select));
    const accounts = [...new Set([...findings.map((f) => f.a), ...data.runs.flatMap((run) => (run.accounts || []).map((a) => a.account_id))])];
    const open = new Map(accounts.map((a) => [a, 0]));
    for (const f of findings) if (isOpen(f)) open.set(f.a, open.get(f.a) + 1);
    accounts.sort((a, b) => open.get(b) - open.get(a) || (a < b ? -1 : a > b ? 1 : 0));
    const draw = () => {
      const axis = AXES[select.value];
      const cells = new Map();
      const columns = new Set();
      for (const f of findings) {
        const column = axis.key(f);
        if (column === null) continue;
        columns.add(column);
        const key = `${f.a}\u0000${column}`;
        const cell = cells.get(key) || { risks: 0, total: 0 };
        cell.total += 1;
        if (isOpen(f)) cell.risks += 1;
        cells.set(key, cell);
      }
      const sorted = [...columns].sort();
      const most = Math.max(1, ...[...cells.values()].map((c) => c.risks));
      const head = el("tr", null, el("th", null, "account"), el("th", { class: "num" }, "unaccepted"));
      for (const column of sorted) head.append(el("th", { class: "num" }, column));
      const body = el("tbody");
      for (const account of accounts) {
        const name = el("th", { scope: "row", class: "pick", tabindex: 0, title: "show this account's findings" }, accountLabel(account));
        const pick = () => showAccount(account);
        name.addEventListener("click", pick);
        name.addEventListener("keydown", (event) => {
          if (event.key === "Enter") pick();
        });
        const tr = el("tr", null, name, el("td", { class: "num" }, open.get(account)));
        for (const column of sorted) tr.append(heatCell(cells.get(`${account}\u0000${column}`), most, axis.located));
        body.append(tr);
      }
      target.replaceChildren(sorted.length ? el("table", { class: "heat" }, el("thead", null, head), body) : el("p", null, axis.located ? "No risk is located in a single AZ." : "No findings."));
    };
    select.addEventListener("change", draw);
    draw();
  }

  // The accounts of an organization run: how each ended and what it held.
  function accountsTable() {
    const accounts = data.runs.flatMap((run) => run.accounts || []);
    if (!accounts.length) return;
    const section = document.getElementById("accounts");
    section.hidden = false;
    accounts.sort((a, b) => b.open_risks - a.open_risks || (a.account_id < b.account_id ? -1 : 1));
    const header = ["account", "status", "result", "regions", "resources", "risks", "unaccepted", "accepted", "failed pairs", "why"];
    const numeric = ["regions", "resources", "risks", "unaccepted", "accepted", "failed pairs"];
    const cells = (a, result) => [
      el("td", null, accountLabel(a.account_id)),
      el("td", null, a.status),
      result,
      ...[a.regions.length, a.resources, a.risks, a.open_risks, a.suppressed, a.failed_pairs].map(number),
      el("td", null, a.error_message),
    ];
    document.getElementById("accounts-table").append(resultTable(header, numeric, accounts, cells));
  }

  function number(value) {
    return el("td", { class: "num" }, value);
  }

  // Rows with a result (an account's, a pair's): a failure is marked in words as well as colour.
  function resultTable(header, numeric, items, cells) {
    const head = el("tr", null, ...header.map((h) => el("th", { class: numeric.includes(h) ? "num" : "" }, h)));
    const body = el("tbody");
    for (const item of items) {
      const failed = data.failing.includes(item.result);
      const result = el("td", { class: "result" }, failed ? `FAILED: ${item.result}` : item.result);
      body.append(el("tr", { class: failed ? "failed" : "" }, ...cells(item, result)));
    }
    return el("table", null, el("thead", null, head), body);
  }

  // The AZ-ID impact chart: one bar per AZ ID, a segment per severity, accepted risks hatched.
  function zoneCounts(zone) {
    const counts = { high: 0, medium: 0, low: 0, accepted: zone.accepted.length, autoshifts: zone.autoshifts.length };
    for (const i of zone.open) counts[findings[i].v] = (counts[findings[i].v] || 0) + 1;
    return counts;
  }

  function countsText(counts) {
    const parts = SEVERITIES.filter((s) => counts[s]).map((s) => `${counts[s]} ${s}`);
    if (counts.accepted) parts.push(`${counts.accepted} accepted`);
    if (counts.autoshifts) parts.push(plural(counts.autoshifts, "AWS autoshift"));
    return parts.join(" · ");
  }

  function impactChart() {
    const target = document.getElementById("impact-chart");
    const zones = data.zones;
    if (!zones.length) {
      target.append(el("p", null, "No risk (or AWS autoshift) is located in a single AZ."));
    } else {
      const legend = el("div", { class: "legend" });
      for (const key of [...SEVERITIES, "accepted"]) legend.append(el("span", { class: `k-${key}` }, key));
      target.append(legend);
      const rowHeight = 26;
      const labelWidth = 190;
      const barWidth = 520;
      const width = labelWidth + barWidth + 320;
      const chart = svgEl("svg", {
        class: "chart",
        viewBox: `0 0 ${width} ${zones.length * rowHeight + 4}`,
        role: "list",
        "aria-label": "Risks per AZ ID",
      });
      const defs = svgEl("defs");
      const hatch = svgEl("pattern", { id: "hatch", width: 4, height: 4, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" });
      hatch.append(svgEl("rect", { width: 4, height: 4, fill: "#fff" }), svgEl("rect", { width: 1.5, height: 4, fill: "#6b6b6b" }));
      defs.append(hatch);
      chart.append(defs);
      const most = Math.max(1, ...zones.map((z) => z.open.length + z.accepted.length));
      zones.forEach((zone, index) => {
        const counts = zoneCounts(zone);
        const y = index * rowHeight + 2;
        const summary = `${zone.id} (${zone.region}): ${countsText(counts)}`;
        const bar = svgEl("g", { class: "bar", tabindex: 0, role: "listitem", "aria-label": summary });
        bar.dataset.zone = zone.id;
        const listed = [...zone.autoshifts, ...zone.open, ...zone.accepted];
        const names = listed.slice(0, 12).map((i) => (zone.autoshifts.includes(i) ? findings[i].m : findings[i].n));
        const more = listed.length - names.length;
        bar.append(svgEl("title", null, [summary, ...names, ...(more > 0 ? [`… and ${more} more`] : [])].join("\n")));
        bar.append(svgEl("rect", { class: "frame", x: 0, y: y - 1, width, height: rowHeight - 2 }));
        bar.append(svgEl("text", { class: "label", x: 4, y: y + 16 }, zone.id), svgEl("text", { x: 84, y: y + 16 }, zone.region));
        let x = labelWidth;
        for (const key of [...SEVERITIES, "accepted"]) {
          if (!counts[key]) continue;
          const w = (counts[key] / most) * barWidth;
          bar.append(svgEl("rect", { class: `fill-${key}`, x, y: y + 3, width: Math.max(w, 2), height: rowHeight - 8 }));
          x += w;
        }
        bar.append(svgEl("text", { x: x + 8, y: y + 16 }, countsText(counts)));
        bar.addEventListener("click", () => showZone(zone, bar));
        bar.addEventListener("keydown", (event) => {
          if (event.key === "Enter" || event.key === " ") {
            event.preventDefault();
            showZone(zone, bar);
          }
        });
        chart.append(bar);
      });
      target.append(chart);
    }
    if (data.unplaced) {
      target.append(el("p", { class: "hint" }, `${plural(data.unplaced, "risk")} not tied to one AZ (spread over several, or region-wide) are in the findings table only.`));
    }
    autoshiftList(zones.flatMap((zone) => zone.autoshifts));
  }

  // The autoshifts AWS started (findings that are never risks), each located in the AZ it left.
  function autoshiftItems(indices) {
    return el("ul", { class: "autoshifts" }, ...indices.map((i) => el("li", null, `${findings[i].a} ${findings[i].r}: ${findings[i].m}`)));
  }

  function autoshiftList(indices) {
    if (!indices.length) return;
    document.getElementById("impact-chart").append(el("h3", null, "AWS autoshifts"), autoshiftItems(indices));
  }

  // Each risk, then the resources that go down with it (findings naming it as their root cause).
  function zoneTable(indices) {
    const head = el("tr", null, ...["account", "check", "severity", "resource", "AZ name", "why"].map((h) => el("th", null, h)));
    const body = el("tbody");
    for (const i of indices) {
      const f = findings[i];
      const name = (f.z.find(([, id]) => id === f.l) || [""])[0];
      body.append(el("tr", null, el("td", null, f.a), el("td", null, f.c), el("td", null, severityBadge(f.v)), el("td", null, f.n), el("td", null, name), el("td", null, f.m)));
      for (const j of f.d || []) {
        const d = findings[j];
        body.append(el("tr", { class: "dependent" }, el("td", null, d.a), el("td", null, d.c), el("td"), el("td", null, `↳ ${d.n}`), el("td"), el("td", null, `${GOES_DOWN}: ${d.m}`)));
      }
    }
    return el("table", null, el("thead", null, head), body);
  }

  function showZone(zone, bar) {
    for (const other of document.querySelectorAll("svg.chart .bar.selected")) other.classList.remove("selected");
    bar.classList.add("selected");
    const detail = document.getElementById("impact-detail");
    const parts = [el("h3", null, `${zone.id} (${zone.region}): ${countsText(zoneCounts(zone))}`)];
    if (zone.autoshifts.length) parts.push(autoshiftItems(zone.autoshifts));
    if (zone.open.length) parts.push(zoneTable(zone.open));
    if (zone.accepted.length) parts.push(el("h4", null, "Accepted (suppressed)"), zoneTable(zone.accepted));
    detail.replaceChildren(...parts);
  }

  // The findings table: filters and sorting over rows built once each, on first display.
  // A finding with a root cause is no risk of its own: it goes down with the root's risk.
  function riskCell(f) {
    if (f.k) return "risk";
    if (!f.rc) return "no";
    return el("span", { class: "root-cause", title: `root cause: ${f.rc[0]} ${f.rc[1]}` }, "with root cause", el("div", { class: "small" }, `${f.rc[0]} ${f.rc[1]}`));
  }

  const COLUMNS = [
    { title: "severity", key: (f) => RANK[f.v], cell: (f) => severityBadge(f.v) },
    { title: "risk", key: (f) => (f.k ? 0 : f.rc ? 1 : 2), cell: riskCell },
    { title: "accepted", key: (f) => (f.u ? 0 : 1), cell: (f) => (f.u ? el("span", { class: "accepted" }, "accepted") : "") },
    { title: "account", key: (f) => f.a, cell: (f) => f.a },
    { title: "region", key: (f) => f.r, cell: (f) => f.r },
    { title: "service", key: (f) => f.s, cell: (f) => f.s },
    {
      title: "resource",
      key: (f) => f.n,
      cell: (f) => {
        const parts = [el("div", null, f.n)];
        if (f.arn && f.arn !== f.n) parts.push(el("div", { class: "small" }, f.arn));
        if (f.t.length) parts.push(el("div", { class: "small tags" }, f.t.map(([k, v]) => `${k}=${v}`).join(", ")));
        return parts;
      },
    },
    { title: "AZs (ID)", key: (f) => zoneText(f.z), cell: (f) => zoneText(f.z) },
    { title: "why", key: (f) => f.m, cell: (f) => f.m },
    { title: "remediation", key: (f) => data.remediation[f.c] || "", cell: (f) => (f.k ? data.remediation[f.c] || "" : "") },
  ];
  const FILTERS = [
    { name: "account", value: (f) => f.a },
    { name: "region", value: (f) => f.r },
    { name: "service", value: (f) => f.s },
    { name: "severity", value: (f) => f.v },
    { name: "risk", value: (f) => (f.k ? "risk" : f.rc ? "goes down with a risk" : "no risk") },
    { name: "suppression", value: (f) => (f.u ? "accepted" : "not accepted") },
  ];
  const rows = new Array(findings.length);
  // Laying out ten thousand rows takes seconds; the first PAGE show at once, the rest on request
  // (and before printing).
  const PAGE = 500;
  const state = { sort: 0, descending: false, filters: {}, text: "", limit: PAGE };
  const selects = {};

  function showAccount(account) {
    state.filters.account = account;
    selects.account.value = account;
    state.limit = PAGE;
    render();
    document.getElementById("findings").scrollIntoView();
  }

  function row(i) {
    if (!rows[i]) {
      const f = findings[i];
      const tr = el("tr");
      for (const column of COLUMNS) {
        const content = column.cell(f);
        const td = el("td");
        td.append(...(Array.isArray(content) ? content : [content]));
        tr.append(td);
      }
      rows[i] = tr;
    }
    return rows[i];
  }

  function matches(f) {
    for (const filter of FILTERS) {
      const wanted = state.filters[filter.name];
      if (wanted && filter.value(f) !== wanted) return false;
    }
    if (state.text) {
      const haystack = `${f.n} ${f.arn} ${f.m} ${f.c} ${f.t.map((t) => t.join("=")).join(" ")} ${(f.rc || []).join(" ")}`.toLowerCase();
      if (!haystack.includes(state.text)) return false;
    }
    return true;
  }

  function render() {
    const column = COLUMNS[state.sort];
    const keys = findings.map(column.key);
    const shown = findings.map((_, i) => i).filter((i) => matches(findings[i]));
    const direction = state.descending ? -1 : 1;
    shown.sort((a, b) => (keys[a] < keys[b] ? -direction : keys[a] > keys[b] ? direction : a - b));
    const body = document.querySelector("#findings-table tbody");
    const fragment = document.createDocumentFragment();
    const visible = shown.slice(0, state.limit);
    for (const i of visible) fragment.append(row(i));
    body.replaceChildren(fragment);
    const filtered = shown.length < findings.length ? ` matching the filters (of ${findings.length})` : "";
    document.getElementById("shown").textContent = `Showing ${visible.length} of ${plural(shown.length, "finding")}${filtered}.`;
    const more = document.getElementById("show-all");
    more.hidden = visible.length === shown.length;
    more.textContent = `Show all ${shown.length}`;
    document.querySelectorAll("#findings-table th").forEach((th, index) => {
      th.setAttribute("aria-sort", index === state.sort ? (state.descending ? "descending" : "ascending") : "none");
    });
  }

  function findingsTable() {
    const form = document.getElementById("filters");
    for (const filter of FILTERS) {
      const select = el("select", { name: filter.name }, el("option", { value: "" }, "all"));
      for (const value of [...new Set(findings.map(filter.value))].sort()) select.append(el("option", { value }, filter.name === "account" ? accountLabel(value) : value));
      selects[filter.name] = select;
      select.addEventListener("change", () => {
        state.filters[filter.name] = select.value;
        state.limit = PAGE;
        render();
      });
      form.append(el("label", null, filter.name, select));
    }
    const search = el("input", { type: "search", name: "text", placeholder: "resource, message, tag" });
    search.addEventListener("input", () => {
      state.text = search.value.trim().toLowerCase();
      state.limit = PAGE;
      render();
    });
    form.append(el("label", null, "search", search));
    form.addEventListener("submit", (event) => event.preventDefault());
    const head = el("tr");
    COLUMNS.forEach((column, index) => {
      const th = el("th", { class: "sortable", tabindex: 0, scope: "col" }, column.title);
      const sortBy = () => {
        state.descending = state.sort === index ? !state.descending : false;
        state.sort = index;
        render();
      };
      th.addEventListener("click", sortBy);
      th.addEventListener("keydown", (event) => {
        if (event.key === "Enter") sortBy();
      });
      head.append(th);
    });
    document.querySelector("#findings-table thead").append(head);
    const showAll = () => {
      state.limit = Infinity;
      render();
    };
    const more = el("button", { type: "button", id: "show-all", class: "more" });
    more.addEventListener("click", showAll);
    document.getElementById("findings-table").after(more);
    window.addEventListener("beforeprint", showAll);
    render();
  }

  // The run report of every run, failures marked in words as well as colour.
  function runReport() {
    const target = document.getElementById("run-report");
    const results = data.runs.flatMap((run) => (run.report || []).map((r) => ({ account: r.account_id || (run.account ? run.account.account_id : ""), ...r })));
    const pairs = data.runs.reduce((n, run) => n + (run.pairs || 0), 0);
    if (!pairs) {
      target.append(el("p", null, "No run report in the input (JSON Lines files hold findings only)."));
      return;
    }
    if (results.length < pairs) {
      target.append(el("p", { class: "hint" }, `${plural(pairs, "(account, check, region) row")}; the ${plural(results.length, "row")} that did not end Success or NotAvailable ${results.length === 1 ? "is" : "are"} listed (the run report CSV and the JSON hold every one).`));
    }
    if (!results.length) return;
    const header = ["account", "service", "region", "result", "error", "resources", "risks", "seconds"];
    const cells = (r, result) => [
      el("td", null, r.account),
      el("td", null, r.service),
      el("td", null, r.region),
      result,
      el("td", null, r.error_message),
      ...[r.resources, r.risks, r.runtime_in_seconds].map(number),
    ];
    target.append(resultTable(header, ["resources", "risks", "seconds"], results, cells));
  }

  const started = performance.now();
  impactChart();
  heatMap();
  accountsTable();
  findingsTable();
  runReport();
  document.body.dataset.rendered = String(Math.round(performance.now() - started));
})();
