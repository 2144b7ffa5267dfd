/* communique web UI: a single page over the read-only HTTP API (docs/API_CONTRACT.md).
 *
 * Plain JavaScript and SVG, no framework, nothing fetched from another origin.
 * Safety rule: every string that comes from the store (article text, titles, names,
 * evidence, explain lines) reaches the page through textContent or setAttribute, never
 * through innerHTML or string-built markup. The `el` and `svg` helpers below are the only
 * way this file makes DOM nodes. The one address from the store that becomes a link (a
 * dispatch's original URL) must be http(s); any other scheme is shown as text.
 *
 * Routes (location.hash):
 *   #/dyad?a=AZE&b=JPN[&month=2024-11]   dyad timeline and its events
 *   #/graph[?since=&until=&type=]         relations graph
 *   #/map[?since=&until=&type=&place=N]   event locations on the offline basemap
 *   #/event/<event_id>                    the dispatch with the event highlighted
 */
"use strict";

(function () {
  const SVG_NS = "http://www.w3.org/2000/svg";

  // PLOVER types in quad order (verbal cooperation, material cooperation, verbal
  // conflict, material conflict); colours go blue, green, orange, red accordingly.
  const TYPES = [
    ["AGREE", "#4c78a8"], ["CONSULT", "#2f5d8a"], ["SUPPORT", "#72a4d6"], ["CONCEDE", "#9ecae9"],
    ["COOPERATE", "#1a7f37"], ["AID", "#54a24b"], ["RETREAT", "#88d27a"],
    ["REQUEST", "#e3a008"], ["ACCUSE", "#f58518"], ["REJECT", "#d4650a"], ["THREATEN", "#b54708"],
    ["PROTEST", "#e45756"], ["SANCTION", "#cf222e"], ["MOBILIZE", "#a40e26"],
    ["COERCE", "#8b1a4a"], ["ASSAULT", "#5c0a2e"],
  ];
  const TYPE_COLOR = new Map(TYPES);
  const TYPE_ORDER = new Map(TYPES.map((t, i) => [t[0], i]));
  // Most rows a list view pages through (the API caps one page at 500).
  const PAGE = 500;
  const MAX_PAGES = 10;

  // ---------------------------------------------------------------- DOM helpers

  /** Make an HTML element. attrs go through setAttribute (or a property for `on*`
   * handlers); children are nodes or strings (strings become text nodes). */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    setAttrs(node, attrs);
    append(node, children);
    return node;
  }

  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(SVG_NS, tag);
    setAttrs(node, attrs);
    append(node, children);
    return node;
  }

  function setAttrs(node, attrs) {
    if (!attrs) return;
    for (const [key, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (key.startsWith("on") && typeof value === "function") {
        node.addEventListener(key.slice(2), value);
      } else {
        node.setAttribute(key, value === true ? "" : String(value));
      }
    }
  }

  function append(node, children) {
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      node.appendChild(typeof child === "string" || typeof child === "number"
        ? document.createTextNode(String(child)) : child);
    }
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function status(text) {
    document.getElementById("status").textContent = text || "";
  }

  function errorBox(err) {
    const box = el("div", { class: "error", role: "alert" }, el("strong", null, "Error: "), err.message || String(err));
    if (err.hint) append(box, [el("br"), "Hint: ", err.hint]);
    return box;
  }

  function typeBadge(type) {
    const badge = el("span", { class: "type-badge" }, type || "?");
    badge.style.background = TYPE_COLOR.get(type) || "#57606a";
    return badge;
  }

  // ---------------------------------------------------------------- API

  class ApiError extends Error {
    constructor(message, hint, status) {
      super(message);
      this.hint = hint;
      this.status = status;
    }
  }

  async function api(path, params) {
    const url = new URL(path, window.location.origin);
    if (params) {
      for (const [key, value] of Object.entries(params)) {
        if (value !== null && value !== undefined && value !== "") url.searchParams.set(key, value);
      }
    }
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    let body = null;
    try {
      body = await response.json();
    } catch (_) {
      body = null;
    }
    if (!response.ok) {
      const e = (body && body.error) || {};
      throw new ApiError(e.message || `${response.status} ${response.statusText} for ${url.pathname}`,
        e.hint, response.status);
    }
    return body;
  }

  /** All event rows for the given filters, following next_cursor (bounded). */
  async function allEvents(params) {
    let rows = [];
    let cursor = null;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const body = await api("/api/events", Object.assign({}, params, { limit: PAGE, cursor }));
      rows = rows.concat(body.events || []);
      cursor = body.next_cursor;
      if (!cursor) break;
    }
    return rows;
  }

  let actorsCache = null;
  async function actors() {
    if (!actorsCache) actorsCache = (await api("/api/actors", { limit: 500 })).actors || [];
    return actorsCache;
  }

  let basemapCache = null;
  async function basemap() {
    if (!basemapCache) basemapCache = await api("/api/basemap");
    return basemapCache;
  }

  // ---------------------------------------------------------------- formatting

  function actorKey(actor) {
    if (!actor) return null;
    return actor.country || actor.org || null;
  }

  function actorLabel(actor) {
    if (!actor) return "—";
    const key = actorKey(actor);
    return key ? `${actor.name} (${key})` : actor.name;
  }

  function evidenceText(row) {
    const ev = row.evidence;
    if (!ev) return "";
    return typeof ev === "string" ? ev : ev.text || "";
  }

  function eventLink(row, text) {
    return el("a", { href: `#/event/${encodeURIComponent(row.event_id)}`, class: "event-link" }, text);
  }

  function monthsBetween(first, last) {
    const out = [];
    let [y, m] = first.split("-").map(Number);
    const [ly, lm] = last.split("-").map(Number);
    while (y < ly || (y === ly && m <= lm)) {
      out.push(`${y}-${String(m).padStart(2, "0")}`);
      m += 1;
      if (m > 12) { m = 1; y += 1; }
      if (out.length > 600) break; // fifty years of empty months is not a chart
    }
    return out;
  }

  function lastDay(month) {
    const [y, m] = month.split("-").map(Number);
    return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, "0")}`;
  }

  function eventsTable(rows, caption) {
    const table = el("table", { class: "events" },
      el("caption", { class: "visually-hidden" }, caption),
      el("thead", null, el("tr", null,
        el("th", { scope: "col" }, "Date"), el("th", { scope: "col" }, "Type"),
        el("th", { scope: "col" }, "Source"), el("th", { scope: "col" }, "Target"),
        el("th", { scope: "col" }, "Place"), el("th", { scope: "col" }, "Evidence"))));
    const body = el("tbody");
    for (const row of rows) {
      const tr = el("tr", { "data-event-id": row.event_id, "data-type": row.type },
        el("td", null, row.date || "—"),
        el("td", null, typeBadge(row.type), row.mode ? ` ${row.mode}` : ""),
        el("td", null, actorLabel(row.source)),
        el("td", null, actorLabel(row.target)),
        el("td", { class: "place" }, row.location ? row.location.name : "—"),
        el("td", null, eventLink(row, evidenceText(row) || row.event_id)));
      body.appendChild(tr);
    }
    table.appendChild(body);
    return table;
  }

  // ---------------------------------------------------------------- router

  function parseHash() {
    const raw = window.location.hash.replace(/^#\/?/, "");
    const q = raw.indexOf("?");
    const path = q >= 0 ? raw.slice(0, q) : raw;
    const params = new URLSearchParams(q >= 0 ? raw.slice(q + 1) : "");
    const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
    return { view: parts[0] || "dyad", arg: parts.slice(1).join("/"), params };
  }

  function hashFor(view, params) {
    const qs = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) if (value) qs.set(key, value);
    const s = qs.toString();
    return `#/${view}${s ? `?${s}` : ""}`;
  }

  let renderToken = 0;

  async function route() {
    const token = ++renderToken;
    const { view, arg, params } = parseHash();
    const root = document.getElementById("view");
    for (const name of ["dyad", "graph", "map"]) {
      const link = document.getElementById(`nav-${name}`);
      if (name === view) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    }
    const views = { dyad: dyadView, graph: graphView, map: mapView, event: eventView };
    const render = views[view];
    const fresh = el("div", { "data-view": view });
    status("Loading…");
    try {
      if (!render) throw new ApiError(`no such page: #/${view}`, "use the links at the top");
      await render(fresh, arg, params);
    } catch (err) {
      fresh.appendChild(errorBox(err));
    }
    if (token !== renderToken) return; // a newer navigation won
    status("");
    clear(root);
    root.appendChild(fresh);
    document.title = `${(fresh.querySelector("h1") || {}).textContent || "communique"} · communique`;
    const focusTarget = fresh.querySelector("[data-autofocus]") || fresh.querySelector("h1");
    if (focusTarget && focusAfterRender) {
      focusTarget.setAttribute("tabindex", "-1");
      focusTarget.focus({ preventScroll: false });
    }
    focusAfterRender = true;
    document.body.setAttribute("data-ready", view);
  }

  let focusAfterRender = false; // not on first load: keep the page's natural tab order

  // ---------------------------------------------------------------- filter form

  function filterForm(view, params, extra, extraValues) {
    const typeSelect = el("select", { id: "f-type", name: "type" }, el("option", { value: "" }, "all types"),
      TYPES.map(([t]) => el("option", { value: t }, t)));
    typeSelect.value = params.get("type") || "";
    const since = el("input", { id: "f-since", name: "since", type: "text", inputmode: "numeric",
      placeholder: "YYYY-MM or YYYY-MM-DD", size: 12, value: params.get("since") || "" });
    const until = el("input", { id: "f-until", name: "until", type: "text", inputmode: "numeric",
      placeholder: "YYYY-MM or YYYY-MM-DD", size: 12, value: params.get("until") || "" });
    const form = el("form", { class: "controls", "aria-label": "Filters" },
      el("label", { for: "f-since" }, "Since", since),
      el("label", { for: "f-until" }, "Until", until),
      el("label", { for: "f-type" }, "Event type", typeSelect),
      extra || null,
      el("button", { type: "submit", id: "f-apply" }, "Apply"));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      window.location.hash = hashFor(view, Object.assign({
        since: since.value.trim(), until: until.value.trim(), type: typeSelect.value,
      }, extraValues ? extraValues() : {}));
    });
    return form;
  }

  function filterParams(params) {
    return { since: params.get("since"), until: params.get("until"), type: params.get("type") };
  }

  // ---------------------------------------------------------------- dyad timeline

  async function dyadView(root, _arg, params) {
    const a = (params.get("a") || "").toUpperCase();
    const b = (params.get("b") || "").toUpperCase();
    const month = params.get("month");
    const list = await actors();
    const title = a && b ? `Dyad timeline: ${a} – ${b}` : "Dyad timeline";
    root.appendChild(el("h1", null, title));

    const pick = (id, label, value) => {
      const select = el("select", { id, name: id },
        el("option", { value: "" }, "— choose an actor —"),
        list.map((x) => el("option", { value: x.key },
          `${x.name && x.name !== x.key ? `${x.name} (${x.key})` : x.key} · ${x.events} event${x.events === 1 ? "" : "s"}`)));
      if (value && !list.some((x) => x.key === value)) {
        select.appendChild(el("option", { value }, value));
      }
      select.value = value || "";
      return el("label", { for: id }, label, select);
    };
    const form = el("form", { class: "controls", "aria-label": "Choose a dyad" },
      pick("actor-a", "Actor A", a), pick("actor-b", "Actor B", b),
      el("button", { type: "submit", id: "show-dyad" }, "Show timeline"));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const va = form.querySelector("#actor-a").value;
      const vb = form.querySelector("#actor-b").value;
      window.location.hash = hashFor("dyad", { a: va, b: vb });
    });
    root.appendChild(form);

    if (!a && !b) {
      root.appendChild(el("p", null,
        "Pick two actors (countries or organisations) to see their events month by month."));
      return;
    }
    if (!a || !b) {
      const one = a || b;
      const rows = await allEvents({ country: one });
      root.appendChild(el("p", null, `Pick a second actor to draw the timeline. All ${rows.length} events of ${one}:`));
      root.appendChild(eventsTable(rows, `Events of ${one}`));
      return;
    }

    const dyad = await api("/api/dyads", { a, b });
    const months = dyad.months || [];
    if (!months.length) {
      root.appendChild(el("p", { class: "empty" }, `No events between ${a} and ${b} in the store.`));
      return;
    }
    root.appendChild(timelineChart(a, b, months, month));

    const rows = await allEvents(month
      ? { dyad: `${a}-${b}`, since: `${month}-01`, until: lastDay(month) }
      : { dyad: `${a}-${b}` });
    root.appendChild(el("h2", { id: "events-heading" },
      month ? `Events in ${month} (${rows.length})` : `Events (${rows.length})`));
    if (month) {
      root.appendChild(el("p", null, el("a", { href: hashFor("dyad", { a, b }) }, "Show all months")));
    }
    root.appendChild(eventsTable(rows, `Events between ${a} and ${b}`));
  }

  function timelineChart(a, b, months, selected) {
    const byMonth = new Map(months.map((m) => [m.month, m]));
    const keys = months.map((m) => m.month).sort();
    const axis = monthsBetween(keys[0], keys[keys.length - 1]);
    const types = [...new Set(months.flatMap((m) => Object.keys(m.counts || {})))]
      .sort((x, y) => (TYPE_ORDER.get(x) ?? 99) - (TYPE_ORDER.get(y) ?? 99));
    const maxCount = Math.max(1, ...months.map((m) => m.events || 0));
    const maxScore = Math.max(1, ...months.map((m) => Math.abs(m.score || 0)));

    const margin = { left: 44, right: 52, top: 16, bottom: 48 };
    const step = Math.max(28, Math.min(120, 960 / axis.length));
    const barW = Math.min(48, step * 0.62);
    const plotH = 220;
    const width = margin.left + margin.right + step * axis.length;
    const height = margin.top + plotH + margin.bottom;
    const yCount = (c) => margin.top + plotH - (c / maxCount) * plotH;
    const yScore = (s) => margin.top + plotH / 2 - (s / maxScore) * (plotH / 2);

    const chart = svg("svg", {
      id: "timeline", viewBox: `0 0 ${width} ${height}`, width, height, role: "group",
      "aria-labelledby": "timeline-title timeline-desc",
    },
    svg("title", { id: "timeline-title" }, `Events between ${a} and ${b} by month`),
    svg("desc", { id: "timeline-desc" },
      `${months.reduce((s, m) => s + (m.events || 0), 0)} events from ${keys[0]} to ${keys[keys.length - 1]}; ` +
      "bars are stacked by event type, the line is the monthly cooperation (+) / conflict (−) score. " +
      "Each month is a link that lists its events."));

    // Axes: counts on the left, score on the right, months below.
    const ax = svg("g", { class: "axis" });
    for (let i = 0; i <= 4; i += 1) {
      const c = Math.round((maxCount * i) / 4);
      const y = yCount(c);
      ax.appendChild(svg("line", { x1: margin.left, x2: width - margin.right, y1: y, y2: y, "stroke-dasharray": "2 3" }));
      ax.appendChild(svg("text", { x: margin.left - 6, y: y + 4, "text-anchor": "end" }, String(c)));
    }
    for (const s of [-maxScore, 0, maxScore]) {
      ax.appendChild(svg("text", { x: width - margin.right + 6, y: yScore(s) + 4 }, (s > 0 ? "+" : "") + s.toFixed(1)));
    }
    ax.appendChild(svg("text", { x: 4, y: margin.top - 4 }, "events"));
    ax.appendChild(svg("text", { x: width - margin.right + 4, y: margin.top - 4 }, "score"));
    chart.appendChild(ax);

    const points = [];
    axis.forEach((month, i) => {
      const x = margin.left + i * step + (step - barW) / 2;
      const cx = margin.left + i * step + step / 2;
      const label = svg("text", { x: cx, y: margin.top + plotH + 16, "text-anchor": "middle" },
        axis.length > 24 && i % 3 ? "" : month);
      chart.appendChild(label);
      const m = byMonth.get(month);
      if (!m) return;
      const counts = m.counts || {};
      const summary = `${month}: ${m.events} event${m.events === 1 ? "" : "s"} (` +
        Object.entries(counts).map(([t, c]) => `${t} ${c}`).join(", ") + `), score ${Number(m.score || 0).toFixed(2)}`;
      const link = svg("a", {
        href: hashFor("dyad", { a, b, month }), class: "month", "data-month": month,
        "aria-label": summary,
      }, svg("title", null, summary));
      let base = 0;
      for (const t of types) {
        const c = counts[t] || 0;
        if (!c) continue;
        link.appendChild(svg("rect", {
          x, width: barW, y: yCount(base + c), height: yCount(base) - yCount(base + c),
          fill: TYPE_COLOR.get(t) || "#57606a", "data-type": t,
          class: month === selected ? "bar selected" : "bar",
        }));
        base += c;
      }
      chart.appendChild(link);
      if (m.score !== null && m.score !== undefined) points.push([cx, yScore(m.score), month, m.score]);
    });

    chart.appendChild(svg("line", {
      x1: margin.left, x2: width - margin.right, y1: yScore(0), y2: yScore(0),
      stroke: "#8c959f", "stroke-width": 1,
    }));
    if (points.length > 1) {
      chart.appendChild(svg("polyline", { class: "score-line", points: points.map((p) => `${p[0]},${p[1]}`).join(" ") }));
    }
    for (const [cx, cy, month, score] of points) {
      chart.appendChild(svg("circle", { cx, cy, r: 4, fill: score >= 0 ? "#1a7f37" : "#cf222e", stroke: "#fff" },
        svg("title", null, `${month}: score ${Number(score).toFixed(2)}`)));
    }

    const legend = el("ul", { class: "legend", "aria-label": "Event types" },
      types.map((t) => {
        const sw = el("span", { class: "swatch", "aria-hidden": "true" });
        sw.style.background = TYPE_COLOR.get(t) || "#57606a";
        return el("li", null, sw, t);
      }),
      el("li", null, "— line: cooperation (+) / conflict (−) score"));
    return el("section", { "aria-label": "Timeline" }, legend, el("div", { class: "chart-wrap" }, chart));
  }

  // ---------------------------------------------------------------- relations graph

  function scoreColor(score, scale) {
    // Diverging: conflict red (-scale) .. grey (0) .. cooperation green (+scale). Scores
    // are mean signed intensities (-10..+10); scale is the largest |score| on screen.
    const s = Math.max(-1, Math.min(1, (Number(score) || 0) / (scale || 10)));
    const grey = [140, 149, 159];
    const end = s >= 0 ? [26, 127, 55] : [207, 34, 46];
    const t = Math.abs(s);
    const mix = grey.map((g, i) => Math.round(g + (end[i] - g) * t));
    return `rgb(${mix.join(",")})`;
  }

  /** Deterministic layout: nodes start on a circle (sorted by events, then id), then a
   * fixed number of force iterations (repulsion between all, springs along edges). */
  function layout(nodes, edges, width, height) {
    const n = nodes.length;
    const pos = new Map();
    const cx = width / 2;
    const cy = height / 2;
    nodes.forEach((node, i) => {
      const angle = (2 * Math.PI * i) / Math.max(1, n) - Math.PI / 2;
      pos.set(node.id, { x: cx + width * 0.4 * Math.cos(angle), y: cy + height * 0.4 * Math.sin(angle) });
    });
    if (n < 3) return pos;
    // Fruchterman-Reingold: repulsion k²/d between all pairs, attraction d²/k along
    // edges, a weak pull to the centre, and a temperature that cools to zero.
    const k = 0.55 * Math.sqrt((width * height) / n);
    const iterations = 400;
    for (let iter = 0; iter < iterations; iter += 1) {
      const temp = (width / 8) * (1 - iter / iterations) + 0.5;
      const force = new Map(nodes.map((node) => [node.id, { x: 0, y: 0 }]));
      for (let i = 0; i < n; i += 1) {
        for (let j = i + 1; j < n; j += 1) {
          const p = pos.get(nodes[i].id);
          const q = pos.get(nodes[j].id);
          const dx = p.x - q.x;
          const dy = p.y - q.y;
          const d = Math.max(1, Math.hypot(dx, dy));
          const f = (k * k) / d / d;
          force.get(nodes[i].id).x += dx * f; force.get(nodes[i].id).y += dy * f;
          force.get(nodes[j].id).x -= dx * f; force.get(nodes[j].id).y -= dy * f;
        }
      }
      for (const e of edges) {
        const p = pos.get(e.source);
        const q = pos.get(e.target);
        if (!p || !q || p === q) continue;
        const dx = q.x - p.x;
        const dy = q.y - p.y;
        const f = Math.max(1, Math.hypot(dx, dy)) / k;
        force.get(e.source).x += dx * f; force.get(e.source).y += dy * f;
        force.get(e.target).x -= dx * f; force.get(e.target).y -= dy * f;
      }
      for (const node of nodes) {
        const p = pos.get(node.id);
        const f = force.get(node.id);
        f.x += (cx - p.x) * 0.4; f.y += (cy - p.y) * 0.6;
        const len = Math.max(1e-9, Math.hypot(f.x, f.y));
        const stepLen = Math.min(temp, len);
        p.x = Math.max(40, Math.min(width - 40, p.x + (f.x / len) * stepLen));
        p.y = Math.max(30, Math.min(height - 36, p.y + (f.y / len) * stepLen));
      }
    }
    return pos;
  }

  async function graphView(root, _arg, params) {
    root.appendChild(el("h1", null, "Relations graph"));
    root.appendChild(filterForm("graph", params));
    const data = await api("/api/graph", filterParams(params));
    const nodes = (data.nodes || []).slice()
      .sort((x, y) => (y.events || 0) - (x.events || 0) || String(x.id).localeCompare(String(y.id)));
    const edges = data.edges || [];
    if (!nodes.length) {
      root.appendChild(el("p", { class: "empty" }, "No events match these filters."));
      return;
    }
    const [width, height] = [960, 600];
    const pos = layout(nodes, edges, width, height);
    const maxW = Math.max(1, ...edges.map((e) => e.weight || 1));
    const maxScore = Math.max(1, ...edges.map((e) => Math.abs(Number(e.score) || 0)));
    const maxN = Math.max(1, ...nodes.map((x) => x.events || 1));
    const label = new Map(nodes.map((x) => [x.id, x.label || x.id]));

    const chart = svg("svg", { id: "graph", viewBox: `0 0 ${width} ${height}`, role: "group", "aria-labelledby": "graph-title graph-desc" },
      svg("title", { id: "graph-title" }, "Relations between actors"),
      svg("desc", { id: "graph-desc" }, `${nodes.length} actors and ${edges.length} relations. Edge width: number of events; ` +
        "colour: green for cooperation, red for conflict. Each edge links to its dyad timeline."));
    const edgeLayer = svg("g", { class: "edges" });
    for (const e of edges) {
      const p = pos.get(e.source);
      const q = pos.get(e.target);
      if (!p || !q) continue;
      const text = `${label.get(e.source)} – ${label.get(e.target)}: ${e.weight} event${e.weight === 1 ? "" : "s"}, score ${Number(e.score || 0).toFixed(2)}`;
      const shape = e.source === e.target
        ? svg("circle", { cx: p.x, cy: p.y - 18, r: 14, fill: "none" })
        : svg("line", { x1: p.x, y1: p.y, x2: q.x, y2: q.y });
      setAttrs(shape, {
        class: "edge", stroke: scoreColor(e.score, maxScore), "stroke-opacity": 0.85,
        "stroke-width": (1.5 + 8 * Math.sqrt((e.weight || 1) / maxW)).toFixed(2),
      });
      edgeLayer.appendChild(svg("a", {
        href: hashFor("dyad", { a: e.source, b: e.target }), "aria-label": text,
        "data-source": e.source, "data-target": e.target,
      }, svg("title", null, text), shape));
    }
    chart.appendChild(edgeLayer);
    const nodeLayer = svg("g", { class: "nodes" });
    for (const node of nodes) {
      const p = pos.get(node.id);
      const r = 6 + 14 * Math.sqrt((node.events || 1) / maxN);
      const text = `${label.get(node.id)} (${node.id}): ${node.events} event${node.events === 1 ? "" : "s"}`;
      nodeLayer.appendChild(svg("a", { href: hashFor("dyad", { a: node.id }), class: "node", "data-id": node.id, "aria-label": text },
        svg("title", null, text),
        svg("circle", { cx: p.x.toFixed(1), cy: p.y.toFixed(1), r: r.toFixed(1), fill: "#2f5d8a" }),
        svg("text", { x: p.x.toFixed(1), y: (p.y + r + 13).toFixed(1), "text-anchor": "middle" }, node.id)));
    }
    chart.appendChild(nodeLayer);
    root.appendChild(el("p", { class: "key" },
      el("span", null, "Edge colour: ", el("span", { style: null }, "red = conflict, grey = neutral, green = cooperation")),
      el("span", null, "Edge width: number of events"),
      el("span", null, "Select a node or an edge to open its timeline")));
    root.appendChild(el("div", { class: "graph" }, chart));

    // The same relations as a table, for screen readers and for sorting by eye.
    const sorted = edges.slice().sort((x, y) => (y.weight || 0) - (x.weight || 0));
    const table = el("table", { class: "events" }, el("caption", null, "Relations"),
      el("thead", null, el("tr", null, el("th", { scope: "col" }, "Dyad"), el("th", { scope: "col" }, "Events"), el("th", { scope: "col" }, "Score"))),
      el("tbody", null, sorted.map((e) => el("tr", null,
        el("td", null, el("a", { href: hashFor("dyad", { a: e.source, b: e.target }) }, `${label.get(e.source)} – ${label.get(e.target)}`)),
        el("td", null, String(e.weight)),
        el("td", null, Number(e.score || 0).toFixed(2))))));
    root.appendChild(el("h2", null, "Relations"));
    root.appendChild(table);
  }

  // ---------------------------------------------------------------- map

  /** Equirectangular: x = lon + 180, y = 90 - lat (one unit per degree). */
  function ringPath(ring) {
    return ring.map((pt, i) => `${i ? "L" : "M"}${(pt[0] + 180).toFixed(2)} ${(90 - pt[1]).toFixed(2)}`).join("") + "Z";
  }

  function geometryPath(geometry) {
    if (!geometry) return "";
    if (geometry.type === "Polygon") return geometry.coordinates.map(ringPath).join("");
    if (geometry.type === "MultiPolygon") return geometry.coordinates.map((poly) => poly.map(ringPath).join("")).join("");
    return "";
  }

  async function mapView(root, _arg, params) {
    root.appendChild(el("h1", null, "Map of event locations"));
    const zoom = el("select", { id: "f-zoom", name: "zoom" },
      el("option", { value: "events" }, "fit the events"), el("option", { value: "world" }, "whole world"));
    zoom.value = params.get("zoom") === "world" ? "world" : "events";
    const form = filterForm("map", params, el("label", { for: "f-zoom" }, "View", zoom),
      () => ({ zoom: zoom.value === "world" ? "world" : "" }));
    root.appendChild(form);
    const [world, data] = await Promise.all([basemap(), api("/api/map", filterParams(params))]);
    const points = (data.points || []).filter((p) => Number.isFinite(p.lat) && Number.isFinite(p.lon));
    const countries = new Set(points.map((p) => p.country));

    let box = [0, 0, 360, 180];
    if (zoom.value === "events" && points.length) {
      const xs = points.map((p) => p.lon + 180);
      const ys = points.map((p) => 90 - p.lat);
      let [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
      const w = Math.max(60, (x1 - x0) * 1.4);
      const h = Math.max(w / 2, (y1 - y0) * 1.4);
      const cx = (x0 + x1) / 2;
      const cy = (y0 + y1) / 2;
      x0 = Math.max(0, cx - Math.max(w, h * 2) / 2);
      y0 = Math.max(0, cy - h / 2);
      box = [x0, y0, Math.min(360 - x0, Math.max(w, h * 2)), Math.min(180 - y0, h)];
    }
    const unit = box[2] / 360; // radii and strokes scale with the zoom

    const chart = svg("svg", { id: "map", viewBox: box.map((v) => v.toFixed(2)).join(" "), role: "group",
      "aria-labelledby": "map-title map-desc", preserveAspectRatio: "xMidYMid meet" },
    svg("title", { id: "map-title" }, "Event locations"),
    svg("desc", { id: "map-desc" }, `${points.length} places with events. Circle area: number of events. ` +
      "Each circle is a link that lists the place's events below the map."));
    chart.appendChild(svg("rect", { x: 0, y: 0, width: 360, height: 180, fill: "#f3f8fc" }));
    const grat = svg("g", { class: "graticule", "aria-hidden": "true" });
    for (let lon = -180; lon <= 180; lon += 30) grat.appendChild(svg("line", { x1: lon + 180, x2: lon + 180, y1: 0, y2: 180 }));
    for (let lat = -60; lat <= 60; lat += 30) grat.appendChild(svg("line", { x1: 0, x2: 360, y1: 90 - lat, y2: 90 - lat }));
    chart.appendChild(grat);
    const land = svg("g", { class: "basemap", "aria-hidden": "true" });
    for (const f of world.features || []) {
      const iso = (f.properties || {}).iso_a3;
      land.appendChild(svg("path", {
        d: geometryPath(f.geometry), class: countries.has(iso) ? "land active" : "land",
        "fill-rule": "evenodd", "data-iso": iso, "stroke-width": (0.15 * unit).toFixed(3),
      }, svg("title", null, (f.properties || {}).name || iso || "")));
    }
    chart.appendChild(land);

    const selected = params.get("place");
    const maxE = Math.max(1, ...points.map((p) => p.events || 1));
    const layer = svg("g", { class: "points" });
    points.slice().sort((x, y) => (y.events || 0) - (x.events || 0)).forEach((p) => {
      const idx = points.indexOf(p);
      const text = `${p.name} (${p.country || "?"}): ${p.events} event${p.events === 1 ? "" : "s"}`;
      const r = (1.2 + 3.5 * Math.sqrt((p.events || 1) / maxE)) * Math.max(unit, 0.08);
      const q = {};
      for (const [k, v] of params.entries()) q[k] = v;
      q.place = String(idx);
      layer.appendChild(svg("a", { href: hashFor("map", q), "aria-label": text, "data-place": p.name },
        svg("title", null, text),
        svg("circle", {
          cx: (p.lon + 180).toFixed(3), cy: (90 - p.lat).toFixed(3), r: r.toFixed(3),
          class: String(idx) === selected ? "point selected" : "point", "stroke-width": (0.2 * unit).toFixed(3),
        })));
    });
    chart.appendChild(layer);
    root.appendChild(el("div", { class: "map" }, chart));
    root.appendChild(el("p", { class: "article-meta" },
      "Basemap: Natural Earth 1:110m country outlines (public domain), served by this app."));

    const place = selected !== null ? points[Number(selected)] : null;
    if (place) {
      const rows = await Promise.all((place.event_ids || []).slice(0, 200).map(
        (id) => api(`/api/events/${encodeURIComponent(id)}`).then((r) => r.event)));
      root.appendChild(el("h2", { id: "place-heading", "data-autofocus": true }, `Events at ${place.name} (${rows.length})`));
      root.appendChild(eventsTable(rows, `Events at ${place.name}`));
    } else if (points.length) {
      root.appendChild(el("h2", null, "Places"));
      const q = {};
      for (const [k, v] of params.entries()) q[k] = v;
      root.appendChild(el("ul", { class: "places" }, points.map((p, idx) =>
        el("li", null, el("a", { href: hashFor("map", Object.assign({}, q, { place: String(idx) })) },
          `${p.name} (${p.country || "?"})`), ` · ${p.events} event${p.events === 1 ? "" : "s"}`))));
    } else {
      root.appendChild(el("p", { class: "empty" }, "No located events match these filters."));
    }
  }

  // ---------------------------------------------------------------- event page

  /** Offsets from the store count Unicode code points (Python str indices); JS strings
   * count UTF-16 units. Work on an array of code points so both agree. */
  function codePoints(text) {
    return Array.from(text || "");
  }

  /** Find an actor's name (or its last word, for "Elnour Mammadov" written "Mammadov")
   * inside [lo, hi) of the article; returns code-point ranges. The API gives no actor
   * offsets for events, so the name as coded is looked up in the evidence sentence. */
  function actorRanges(chars, lo, hi, name) {
    if (!name) return [];
    const hay = chars.slice(lo, hi).join("");
    const candidates = [name];
    const words = name.split(/\s+/).filter((w) => w.length > 2);
    if (words.length > 1) candidates.push(words[words.length - 1]);
    for (const cand of candidates) {
      const at = hay.indexOf(cand);
      if (at >= 0) {
        const start = lo + Array.from(hay.slice(0, at)).length;
        return [[start, start + Array.from(cand).length]];
      }
    }
    return [];
  }

  /** The article text as DOM nodes: the evidence span in <mark class="evidence">, and
   * inside it the trigger and the actors as <span class="hl-…">. Text nodes only. */
  function highlightedText(text, evStart, evEnd, ranges) {
    const chars = codePoints(text);
    const n = chars.length;
    const clamp = (v) => Math.max(0, Math.min(n, Number(v)));
    const container = el("div", { class: "article-text", id: "article-text", lang: "" });
    if (!Number.isFinite(Number(evStart)) || !Number.isFinite(Number(evEnd)) || evEnd <= evStart) {
      container.appendChild(document.createTextNode(text || ""));
      return container;
    }
    const s = clamp(evStart);
    const e = clamp(evEnd);
    container.appendChild(document.createTextNode(chars.slice(0, s).join("")));
    const mark = el("mark", { class: "evidence", id: "evidence" });
    // elementary segments of [s, e) cut at every range boundary
    const cuts = new Set([s, e]);
    const inside = ranges.map((r) => [Math.max(s, clamp(r[0])), Math.min(e, clamp(r[1])), r[2]]).filter((r) => r[0] < r[1]);
    for (const r of inside) { cuts.add(r[0]); cuts.add(r[1]); }
    const points = [...cuts].sort((x, y) => x - y);
    for (let i = 0; i + 1 < points.length; i += 1) {
      const [a, b] = [points[i], points[i + 1]];
      const piece = chars.slice(a, b).join("");
      const classes = [...new Set(inside.filter((r) => r[0] <= a && b <= r[1]).map((r) => r[2]))];
      if (classes.length) {
        mark.appendChild(el("span", { class: classes.join(" ") }, piece));
      } else {
        mark.appendChild(document.createTextNode(piece));
      }
    }
    container.appendChild(mark);
    container.appendChild(document.createTextNode(chars.slice(e).join("")));
    return container;
  }

  /** The dispatch's original address: a link when it is an http(s) URL, else text (a
   * javascript:, data: or vbscript: address is never made a link). */
  function originalLink(url) {
    let parsed = null;
    try {
      parsed = new URL(url);
    } catch (_) {
      parsed = null;
    }
    if (parsed && (parsed.protocol === "http:" || parsed.protocol === "https:")) {
      return el("a", { href: parsed.href, id: "article-url", rel: "noopener noreferrer nofollow" }, url);
    }
    return el("span", { id: "article-url" }, url);
  }

  function actorFields(actor) {
    if (!actor) return "—";
    const bits = [actor.country || actor.org || "no key", actor.sector, actor.role].filter(Boolean);
    return `${actor.name} (${bits.join(", ")})`;
  }

  async function eventView(root, arg) {
    if (!arg) throw new ApiError("no event id in the address", "open an event from a timeline or the map");
    const detail = await api(`/api/events/${encodeURIComponent(arg)}`);
    const ev = detail.event;
    const article = await api(`/api/articles/${encodeURIComponent(ev.article_id)}`);
    const art = article.article || {};
    const mine = (article.events || []).find((x) => x.event_id === ev.event_id) || {};
    const evStart = mine.evidence_start ?? (ev.evidence && ev.evidence.start);
    const evEnd = mine.evidence_end ?? (ev.evidence && ev.evidence.end);

    root.appendChild(el("h1", null, `${ev.type}${ev.mode ? ` (${ev.mode})` : ""}: ${actorLabel(ev.source)} → ${actorLabel(ev.target)}`));
    root.appendChild(el("p", { class: "article-meta" },
      [art.source, art.published || "date unknown", art.lang].filter(Boolean).join(" · ")));
    if (art.url) root.appendChild(el("p", { class: "article-meta" }, "Original: ", originalLink(art.url)));

    const chars = codePoints(art.text || "");
    const ranges = [];
    if (!Number.isFinite(mine.trigger_start) && ev.trigger) {
      mine.trigger_start = ev.trigger.start;
      mine.trigger_end = ev.trigger.end;
    }
    if (Number.isFinite(mine.trigger_start) && Number.isFinite(mine.trigger_end)) {
      ranges.push([mine.trigger_start, mine.trigger_end, "hl-trigger"]);
    }
    for (const side of ["source", "target"]) {
      const actor = ev[side];
      const given = mine[side];
      // Use offsets when the API gives them ({start, end} or [start, end]); else look up the name.
      if (given && Number.isFinite(given.start) && Number.isFinite(given.end)) {
        ranges.push([given.start, given.end, "hl-actor"]);
      } else if (actor) {
        for (const r of actorRanges(chars, evStart, evEnd, actor.name)) ranges.push([r[0], r[1], "hl-actor"]);
      }
    }

    const textCol = el("section", { "aria-labelledby": "dispatch-heading" },
      el("h2", { id: "dispatch-heading" }, art.title || "Dispatch"),
      el("p", { class: "key" },
        el("span", null, el("mark", { class: "evidence" }, "evidence sentence")),
        el("span", null, el("span", { class: "hl-trigger" }, "trigger")),
        el("span", null, el("span", { class: "hl-actor" }, "actor"))),
      highlightedText(art.text || "", evStart, evEnd, ranges));
    if (art.lang) textCol.querySelector("#article-text").setAttribute("lang", art.lang);

    const loc = ev.location;
    const flags = ["negated", "future", "historical", "hypothetical", "joint"].filter((f) => ev[f]);
    const fields = el("dl", { class: "fields" },
      [["Type", `${ev.type}${ev.alt_type ? ` (or ${ev.alt_type})` : ""}`], ["Mode", ev.mode || "—"],
        ["Source", actorFields(ev.source)], ["Target", actorFields(ev.target)],
        ["Date", ev.date ? `${ev.date} (${ev.date_precision || "?"})` : "unknown"],
        ["Place", loc ? `${loc.name}${loc.country ? ` (${loc.country})` : ""}` : "—"],
        ["Trigger", (mine.trigger_start !== undefined && Number.isFinite(mine.trigger_start))
          ? chars.slice(mine.trigger_start, mine.trigger_end).join("") : "—"],
        ["Flags", flags.length ? flags.join(", ") : "none"],
        ["Quad · intensity", `${ev.quad ?? "—"} · ${ev.intensity ?? "—"}`],
        ["Confidence", ev.confidence !== undefined && ev.confidence !== null ? String(ev.confidence) : "—"],
        ["Rule", el("code", { id: "rule" }, ev.rule || "—")],
        ["Coder", ev.coder_version || "—"]].map(([k, v]) => [el("dt", null, k), el("dd", null, v)]));

    const others = (article.events || []).filter((x) => x.event_id !== ev.event_id);
    const side = el("section", { "aria-labelledby": "event-heading" },
      el("h2", { id: "event-heading" }, "Event"), fields,
      el("h2", { id: "trace-heading" }, "Explain trace"),
      el("ol", { class: "trace", id: "trace", "aria-labelledby": "trace-heading" },
        (detail.explain || []).map((line) => el("li", null, String(line)))),
      others.length ? [el("h2", null, "Other events in this dispatch"),
        el("ul", null, others.map((o) => el("li", null,
          el("a", { href: `#/event/${encodeURIComponent(o.event_id)}` },
            `${o.type}: ${typeof o.source === "object" && o.source ? actorLabel(o.source) : o.source || "—"} → ` +
            `${typeof o.target === "object" && o.target ? actorLabel(o.target) : o.target || "—"}`))))] : null);

    const a = actorKey(ev.source);
    const b = actorKey(ev.target);
    root.appendChild(el("p", null,
      a && b ? el("a", { href: hashFor("dyad", { a, b }) }, `Back to the ${a} – ${b} timeline`) : null));
    root.appendChild(el("div", { class: "columns" }, textCol, side));
  }

  // ---------------------------------------------------------------- start

  window.addEventListener("hashchange", route);
  window.addEventListener("DOMContentLoaded", route);
})();
