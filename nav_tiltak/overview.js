/* The overview page's script (nav_tiltak/overview.py inlines it after plotly.min.js): the pickers, the two
   charts (Plotly), the change and county tables and the CSV of the selection, all from the page's own data
   (the JSON in #overview-data). Rules it keeps: a value NAV suppressed, or a total that includes one, is its
   range low..high and nothing else (no point, no midpoint, no zero, no line through it); a month with no
   figure is a gap; a change over 12 months is exact only where both months are. */
(function () {
  "use strict";
  const D = JSON.parse(document.getElementById("overview-data").textContent);
  const [Y0, M0] = D.first.split("-").map(Number);
  const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const COLOURS = { exact: "#3b5ea8", range: "#e69f00", rangeLine: "#b35900", gap: "#ececec",
                    brk: "rgba(230, 120, 0, 0.16)", across: "#d55e00" };

  const geographies = new Map(D.geographies.map(([code, name, level, county, note]) =>
    [code, { code, name, level, county, note,
             label: level === "municipality" ? code + " " + name : name + (note ? " (" + note + ")" : "") }]));
  const mainNames = new Map(D.mainGroups);
  const groupNames = new Map(D.measureGroups);
  const types = new Map(D.measureTypes.map(([code, name, group]) => [code, { name, group }]));
  const series = new Map();
  const available = new Map(); // geography -> main group -> Set of measures
  for (const [geography, main, measure, start, values, flags] of D.series) {
    series.set(seriesKey(geography, main, measure), { geography, main, measure, start, values, flags });
    if (!available.has(geography)) available.set(geography, new Map());
    const mains = available.get(geography);
    if (!mains.has(main)) mains.set(main, new Set());
    mains.get(main).add(measure);
  }
  const covered = new Set(D.covered);

  function seriesKey(geography, main, measure) { return geography + "|" + main + "|" + measure; }

  // Months are indices on the page's axis: 0 is D.first.
  function monthParts(i) { const t = M0 - 1 + i; return [Y0 + Math.floor(t / 12), ((t % 12) + 12) % 12 + 1]; }
  function monthIso(i) { const [y, m] = monthParts(i); return y + "-" + String(m).padStart(2, "0"); }
  function monthDate(i) { return monthIso(i) + "-01"; }
  function monthLabel(i) { const [y, m] = monthParts(i); return MONTHS[m - 1] + " " + y; }
  function boundary(i) { return monthIso(i - 1) + "-16"; } // between month i-1 and month i on a date axis
  function monthFromIso(text) {
    const match = /^(\d{4})-(\d{2})$/.exec(text || "");
    return match ? (Number(match[1]) - Y0) * 12 + Number(match[2]) - M0 : null;
  }

  // A month of a series: null where it has no row, else its count (null when unknown) and bounds.
  function cell(s, i) {
    if (!s) return null;
    const j = i - s.start;
    if (j < 0 || j >= s.values.length || s.flags[j] === "-") return null;
    const value = s.values[j];
    const flags = Number(s.flags[j]);
    const exact = !Array.isArray(value);
    return { count: exact ? value : null, low: exact ? value : value[0], high: exact ? value : value[1],
             published: (flags & 1) === 1, brk: (flags & 2) === 2 };
  }

  function number(n) { // 12 345, −7: Norwegian grouping, never broken across lines
    const digits = String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0");
    return (n < 0 ? "\u2212" : "") + digits;
  }
  function signed(n) { return (n > 0 ? "+" : "") + number(n); }
  function valueText(c) { return c.count !== null ? number(c.count) : number(c.low) + "–" + number(c.high); }
  function changeText(ch) {
    return ch.exact ? signed(ch.change) : signed(ch.low) + " to " + signed(ch.high);
  }
  function rangeWhy(c) {
    return c.published ? "NAV printed \"*\" (suppressed)" : "a total that includes a suppressed value";
  }
  function escapeHtml(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }
  function measureName(measure) {
    const [kind, code] = [measure.slice(0, 1), measure.slice(2)];
    if (kind === "g") return code === "alle" ? "Alle tiltak" : groupNames.get(code) || code;
    return (types.get(code) || { name: code }).name;
  }
  function measureColumns(measure) { // [measure_group, measure_type] as the marts name them
    const code = measure.slice(2);
    return measure.startsWith("g:") ? [code, "alle"] : [(types.get(code) || { group: "" }).group, code];
  }
  function wrap(text, width) {
    const lines = [];
    let line = "";
    for (const word of text.split(/\s+/)) {
      if (line && (line + " " + word).length > width) { lines.push(line); line = word; } else line = line ? line + " " + word : word;
    }
    if (line) lines.push(line);
    return lines.map(escapeHtml).join("<br>");
  }
  function runs(indices) { // sorted month indices -> [[first, last], ...] of consecutive months
    const out = [];
    for (const i of indices) {
      if (out.length && out[out.length - 1][1] === i - 1) out[out.length - 1][1] = i; else out.push([i, i]);
    }
    return out;
  }

  // ---- the selection ----
  const pick = { geography: document.getElementById("pick-geography"), main: document.getElementById("pick-main-group"),
                 measure: document.getElementById("pick-measure"), month: document.getElementById("pick-month") };
  const state = { geography: "00", main: "alle", measure: "g:alle", month: null };

  function option(value, text) { const o = document.createElement("option"); o.value = value; o.textContent = text; return o; }
  function group(label, options) {
    const g = document.createElement("optgroup"); g.label = label; options.forEach(o => g.appendChild(o)); return g;
  }

  function fillGeographies() {
    const all = [...geographies.values()];
    pick.geography.appendChild(option("00", "Norge (hele landet)"));
    pick.geography.appendChild(group("Counties", all.filter(g => g.level !== "national" && g.level !== "municipality")
      .map(g => option(g.code, g.label))));
    const municipalities = all.filter(g => g.level === "municipality");
    const counties = [...new Set(municipalities.map(g => g.county))];
    for (const county of counties) {
      pick.geography.appendChild(group("Municipalities in " + (D.countyNames[county] || county),
        municipalities.filter(g => g.county === county).map(g => option(g.code, g.label))));
    }
  }

  // Keep each choice where the warehouse has it; else the broadest one it has.
  function settle() {
    if (!available.has(state.geography)) state.geography = "00";
    const mains = available.get(state.geography);
    if (!mains.has(state.main)) state.main = mains.has("alle") ? "alle" : D.mainGroups.map(m => m[0]).find(m => mains.has(m));
    const measures = mains.get(state.main);
    if (!measures.has(state.measure)) {
      state.measure = measures.has("g:alle") ? "g:alle" : [...measures].sort()[0];
    }
  }

  function fillChoices() {
    const mains = available.get(state.geography);
    pick.main.replaceChildren(...D.mainGroups.filter(([code]) => mains.has(code)).map(([code, name]) => option(code, name)));
    const measures = mains.get(state.main);
    const groups = D.measureGroups.filter(([code]) => measures.has("g:" + code))
      .map(([code, name]) => option("g:" + code, code === "alle" ? "Alle tiltak (all measures)" : name));
    const children = groups.length ? [group("Measure groups", groups)] : [];
    for (const [code, name] of D.measureGroups) {
      const inGroup = D.measureTypes.filter(([type, , g]) => g === code && measures.has("t:" + type))
        .map(([type, typeName]) => option("t:" + type, typeName));
      if (inGroup.length) children.push(group("Measure types: " + name, inGroup));
    }
    pick.measure.replaceChildren(...children);
    pick.geography.value = state.geography;
    pick.main.value = state.main;
    pick.measure.value = state.measure;
  }

  function current() { return series.get(seriesKey(state.geography, state.main, state.measure)); }

  // ---- what the chart marks: months no document covers, series breaks ----
  function uncoveredRuns() {
    const missing = [];
    for (let i = 0; i < D.length; i++) if (!covered.has(i)) missing.push(i);
    return runs(missing);
  }
  function breakRuns(s) {
    const flagged = [];
    for (let i = 0; i < D.length; i++) { const c = cell(s, i); if (c && c.brk) flagged.push(i); }
    return runs(flagged).map(([a, b]) => {
      const notes = [];
      for (const [from, to, main, note] of D.breaks) {
        if (from <= b && to >= a) {
          notes.push(note + (main !== state.main ? " (" + (mainNames.get(state.main) || state.main) +
            " includes " + (mainNames.get(main) || main) + ")" : ""));
        }
      }
      return { from: a, to: b, reason: notes.length ? [...new Set(notes)].join("; ") : D.fallbackBreakNote };
    });
  }
  function periodShapes(s, labelled) {
    const shapes = [], annotations = [];
    for (const [a, b] of uncoveredRuns()) {
      shapes.push({ type: "rect", name: "no-document", xref: "x", yref: "paper", x0: boundary(a), x1: boundary(b + 1),
                    y0: 0, y1: 1, fillcolor: COLOURS.gap, line: { width: 0 }, layer: "below" });
      annotations.push({ name: "no-document", xref: "x", yref: "paper", x: boundary(a + (b - a + 1) / 2 | 0),
                         y: 1, yanchor: "bottom", showarrow: false, text: "no document",
                         font: { size: 10, color: "#777" } });
    }
    for (const brk of breakRuns(s)) {
      shapes.push({ type: "rect", name: "series-break", xref: "x", yref: "paper", x0: boundary(brk.from),
                    x1: boundary(brk.to + 1), y0: 0, y1: 1, fillcolor: COLOURS.brk,
                    line: { width: 1, color: COLOURS.range, dash: "dot" }, layer: "below" });
      annotations.push({ name: "series-break", xref: "x", yref: "paper", x: boundary(brk.to + 1), xanchor: "right",
                         y: 1, yanchor: "bottom", showarrow: false, align: "right", bgcolor: "rgba(255,255,255,0.85)",
                         font: { size: 10, color: "#8a4500" },
                         text: labelled ? "<b>Series break " + monthLabel(brk.from) + "–" + monthLabel(brk.to) +
                           "</b><br>" + wrap(brk.reason, 48) : "series break" });
    }
    return { shapes, annotations };
  }

  function rangeTrace(name) {
    return { type: "bar", name, x: [], y: [], base: [], customdata: [], width: 20 * 864e5,
             hovertemplate: "%{customdata}<extra></extra>",
             marker: { color: "rgba(230, 159, 0, 0.30)", line: { color: COLOURS.rangeLine, width: 1.5 },
                       pattern: { shape: "/", fgcolor: COLOURS.range, size: 6, solidity: 0.25 } } };
  }
  function layout(extra) {
    return Object.assign({ margin: { t: 64, r: 24, b: 36, l: 72 }, separators: ", ", showlegend: true,
      modebar: { orientation: "v" },
      legend: { orientation: "h", x: 0, y: -0.1, yanchor: "top" }, barmode: "overlay", hovermode: "closest",
      xaxis: { type: "date", range: [boundary(0), boundary(D.length)], tickformat: "%b %Y", showgrid: false },
      font: { family: "system-ui, sans-serif", size: 12 } }, extra);
  }
  const CONFIG = { responsive: true, displaylogo: false, modeBarButtonsToRemove: ["select2d", "lasso2d"] };

  function seriesFigure(s) {
    const exact = { type: "scatter", mode: "lines+markers", name: "Participants (exact)", x: [], y: [],
                    customdata: [], hovertemplate: "%{customdata}<extra></extra>", connectgaps: false,
                    line: { color: COLOURS.exact, width: 2 },
                    marker: { color: COLOURS.exact, size: 6, symbol: [], line: { color: COLOURS.exact, width: 1.5 } } };
    const ranges = rangeTrace("Range (suppressed or unknown)");
    for (let i = 0; i < D.length; i++) {
      const c = cell(s, i);
      exact.x.push(monthDate(i));
      if (c && c.count !== null) {
        exact.y.push(c.count);
        exact.marker.symbol.push(c.published ? "circle" : "circle-open");
        exact.customdata.push(monthLabel(i) + ": " + number(c.count) +
          (c.published ? " (printed by NAV)" : " (exact sum of printed figures)") + (c.brk ? " — series break" : ""));
      } else {
        exact.y.push(null);
        exact.marker.symbol.push("circle");
        exact.customdata.push("");
      }
      if (c && c.count === null) {
        ranges.x.push(monthDate(i));
        ranges.base.push(c.low);
        ranges.y.push(c.high - c.low);
        ranges.customdata.push(monthLabel(i) + ": " + valueText(c) + ", " + rangeWhy(c) + (c.brk ? " — series break" : ""));
      }
    }
    const marks = periodShapes(s, true);
    const heights = [...exact.y.filter(v => v !== null), ...ranges.x.map((_, k) => ranges.base[k] + ranges.y[k])];
    return { data: [exact, ranges], layout: layout({ shapes: marks.shapes, annotations: marks.annotations,
      yaxis: { title: { text: "participants" }, rangemode: "tozero", tickformat: ",d", ...integerTicks(heights) } }) };
  }

  // The change from month i-12 to month i: exact where both are, else the range their bounds allow; across a
  // break where a month from i-12 to i is flagged.
  function changeAt(s, i) {
    const now = cell(s, i), before = cell(s, i - 12);
    if (!now || !before) return null;
    let across = false;
    for (let k = i - 12; k <= i; k++) { const c = cell(s, k); if (c && c.brk) across = true; }
    const exact = now.count !== null && before.count !== null;
    return { i, now, before, exact, across, change: exact ? now.count - before.count : null,
             low: now.low - before.high, high: now.high - before.low,
             percent: exact && before.count > 0 ? (now.count - before.count) / before.count * 100 : null };
  }
  function changes(s) {
    const out = [];
    for (let i = 12; i < D.length; i++) { const ch = changeAt(s, i); if (ch) out.push(ch); }
    return out;
  }
  function integerTicks(values) { // a small count's axis in whole participants (no 0.5 ticks, no repeated labels)
    const largest = Math.max(0, ...values.map(Math.abs));
    return largest <= 8 ? { dtick: 1, tick0: 0 } : {};
  }

  function changeFigure(s, list) {
    const exact = { type: "scatter", mode: "lines+markers", name: "Change (exact)", x: [], y: [], customdata: [],
                    hovertemplate: "%{customdata}<extra></extra>", connectgaps: false,
                    line: { color: COLOURS.exact, width: 1.5 }, marker: { size: 6, color: [] } };
    const ranges = rangeTrace("Change (range)");
    ranges.marker.line.color = [];
    const byMonth = new Map(list.map(ch => [ch.i, ch]));
    for (let i = 0; i < D.length; i++) {
      const ch = byMonth.get(i);
      exact.x.push(monthDate(i));
      const note = ch ? monthLabel(i) + " vs " + monthLabel(i - 12) + ": " + changeText(ch) +
        (ch.across ? " — compares across a series break" : "") : "";
      if (ch && ch.exact) {
        exact.y.push(ch.change);
        exact.marker.color.push(ch.across ? COLOURS.across : COLOURS.exact);
        exact.customdata.push(note);
      } else {
        exact.y.push(null);
        exact.marker.color.push(COLOURS.exact);
        exact.customdata.push("");
      }
      if (ch && !ch.exact) {
        ranges.x.push(monthDate(i));
        ranges.base.push(ch.low);
        ranges.y.push(ch.high - ch.low);
        ranges.customdata.push(note);
        ranges.marker.line.color.push(ch.across ? COLOURS.across : COLOURS.rangeLine);
      }
    }
    const marks = periodShapes(s, false);
    if (!list.length) {
      marks.annotations.push({ name: "no-change", xref: "paper", yref: "paper", x: 0.5, y: 0.5, showarrow: false,
                               text: "No two months 12 apart both have figures for this selection.",
                               font: { size: 13, color: "#777" } });
    }
    return { data: [exact, ranges], layout: layout({ shapes: marks.shapes, annotations: marks.annotations,
      margin: { t: 40, r: 24, b: 36, l: 72 },
      yaxis: { title: { text: "change in participants" }, zeroline: true, zerolinecolor: "#888", tickformat: ",d",
               ...integerTicks(list.flatMap(ch => [ch.low, ch.high])) } }) };
  }

  function fillChangeTable(list) {
    const body = document.querySelector("#change-table tbody");
    body.replaceChildren();
    for (const ch of [...list].reverse()) {
      const tr = document.createElement("tr");
      tr.dataset.month = monthIso(ch.i);
      const cells = [
        [monthLabel(ch.i), ""],
        [valueText(ch.now), ch.now.count === null ? "range" : ""],
        [valueText(ch.before), ch.before.count === null ? "range" : ""],
        [changeText(ch), ch.exact ? "" : "range"],
        [ch.percent === null ? "" : (ch.percent > 0 ? "+" : "") + ch.percent.toFixed(1).replace(".", ",").replace("-", "\u2212") + " %", ""],
        [ch.across ? "across the series break" : "", "warn"],
      ];
      for (const [text, cls] of cells) {
        const td = document.createElement("td");
        td.textContent = text;
        if (cls) td.className = cls;
        tr.appendChild(td);
      }
      body.appendChild(tr);
    }
  }

  // ---- the counties side by side ----
  function countySeries() {
    return [...geographies.values()].filter(g => g.level !== "municipality")
      .map(g => ({ geography: g, series: series.get(seriesKey(g.code, state.main, state.measure)) }))
      .filter(row => row.series);
  }

  function fillCountyTable() {
    const rows = countySeries();
    const counties = rows.filter(row => row.geography.level !== "national");
    const months = new Set();
    for (const row of counties) for (let i = 0; i < D.length; i++) if (cell(row.series, i)) months.add(i);
    const sorted = [...months].sort((a, b) => a - b);
    const body = document.querySelector("#county-table tbody");
    const empty = document.getElementById("county-empty");
    body.replaceChildren();
    if (!sorted.length) {
      pick.month.replaceChildren();
      pick.month.disabled = true;
      empty.hidden = false;
      empty.textContent = "NAV's tables give no county figures for " + mainNames.get(state.main) + ", " +
        measureName(state.measure) + ".";
      document.getElementById("county-table").hidden = true;
      return;
    }
    empty.hidden = true;
    document.getElementById("county-table").hidden = false;
    pick.month.disabled = false;
    if (state.month === null || !months.has(state.month)) state.month = sorted[sorted.length - 1];
    pick.month.replaceChildren(...[...sorted].reverse().map(i => option(monthIso(i), monthLabel(i))));
    pick.month.value = monthIso(state.month);
    const shown = rows.map(row => ({ ...row, now: cell(row.series, state.month), before: cell(row.series, state.month - 12),
                                     change: changeAt(row.series, state.month) })).filter(row => row.now);
    const scale = Math.max(1, ...shown.filter(row => row.geography.level !== "national").map(row => row.now.high));
    const here = geographies.get(state.geography);
    const highlighted = here.level === "municipality" ? here.county : here.code;
    const ordered = [...shown.filter(row => row.geography.level !== "national"),
                     ...shown.filter(row => row.geography.level === "national")];
    for (const row of ordered) {
      const tr = document.createElement("tr");
      tr.dataset.geography = row.geography.code;
      if (row.geography.code === highlighted) tr.classList.add("current");
      if (row.geography.level === "national") tr.classList.add("total");
      const name = document.createElement("td");
      name.textContent = row.geography.label;
      const value = document.createElement("td");
      value.textContent = valueText(row.now);
      if (row.now.count === null) { value.className = "range"; value.title = rangeWhy(row.now); }
      else if (!row.now.published) { value.className = "derived"; value.title = "an exact sum of printed figures"; }
      const before = document.createElement("td");
      before.textContent = row.before ? valueText(row.before) : "";
      if (row.before && row.before.count === null) before.className = "range";
      const change = document.createElement("td");
      change.textContent = row.change ? changeText(row.change) : "";
      if (row.change && !row.change.exact) change.className = "range";
      if (row.change && row.change.across) {
        change.classList.add("across");
        change.title = "compares across a series break";
      }
      const bar = document.createElement("td");
      bar.className = "bar";
      if (row.geography.level !== "national") {
        const track = document.createElement("div");
        track.className = "track";
        const span = document.createElement("span");
        if (row.now.count !== null) {
          span.className = "exact";
          span.style.width = (100 * row.now.count / scale) + "%";
        } else {
          span.className = "band";
          span.style.left = (100 * row.now.low / scale) + "%";
          span.style.width = (100 * (row.now.high - row.now.low) / scale) + "%";
        }
        track.appendChild(span);
        bar.appendChild(track);
      }
      tr.append(name, value, before, change, bar);
      tr.addEventListener("click", () => { state.geography = row.geography.code; update(); });
      body.appendChild(tr);
    }
  }

  // ---- the CSV of the selection: a row per month with a figure; a range as low/high, never a midpoint ----
  const CSV_COLUMNS = ["month", "geography_code", "geography_name", "main_group", "measure_group", "measure_type",
                       "participant_count", "participant_count_low", "participant_count_high", "is_suppressed",
                       "is_published", "is_series_break"];
  function csvField(value) {
    const text = value === null || value === undefined ? "" : String(value);
    return /[",\n\r]/.test(text) ? "\"" + text.replace(/"/g, "\"\"") + "\"" : text;
  }
  function csv() {
    const s = current();
    const geography = geographies.get(state.geography);
    const [measureGroup, measureType] = measureColumns(state.measure);
    const lines = [CSV_COLUMNS.join(",")];
    for (let i = 0; i < D.length; i++) {
      const c = cell(s, i);
      if (!c) continue;
      lines.push([monthIso(i), geography.code, geography.name, state.main, measureGroup, measureType, c.count,
                  c.low, c.high, c.count === null, c.published, c.brk].map(csvField).join(","));
    }
    return lines.join("\n") + "\n";
  }

  // ---- drawing it all ----
  let rendered = Promise.resolve();
  function update() {
    settle();
    fillChoices();
    const s = current();
    const geography = geographies.get(state.geography);
    const known = [];
    for (let i = 0; i < D.length; i++) if (cell(s, i)) known.push(i);
    const ranges = known.filter(i => cell(s, i).count === null).length;
    const last = known[known.length - 1];
    document.getElementById("summary").innerHTML = "<b>" + escapeHtml(geography.label) + "</b> · " +
      escapeHtml(mainNames.get(state.main)) + " · " + escapeHtml(measureName(state.measure)) + ": " +
      known.length + " months with figures, " + monthLabel(known[0]) + "–" + monthLabel(last) +
      (ranges ? ", " + ranges + " of them only as a range" : "") + ". Latest, " + monthLabel(last) + ": " +
      valueText(cell(s, last)) + ".";

    const marks = document.getElementById("marks");
    marks.replaceChildren(...breakRuns(s).map(brk => {
      const li = document.createElement("li");
      li.className = "series-break";
      li.textContent = "Series break " + monthLabel(brk.from) + "–" + monthLabel(brk.to) + ": " + brk.reason;
      return li;
    }), ...uncoveredRuns().map(([a, b]) => {
      const li = document.createElement("li");
      li.className = "no-document";
      li.textContent = "No document covers " + (a === b ? monthLabel(a) : monthLabel(a) + "–" + monthLabel(b)) +
        ": no figures, left empty.";
      return li;
    }));

    const list = changes(s);
    fillChangeTable(list);
    fillCountyTable();

    const link = document.getElementById("download");
    const name = ["nav-tiltak", state.geography, state.main, state.measure.slice(2)].join("_") + ".csv";
    link.download = name;
    link.href = "data:text/csv;charset=utf-8," + encodeURIComponent("\ufeff" + csv());  // the mark: Excel reads UTF-8

    const hash = "#" + new URLSearchParams({ geography: state.geography, main: state.main, measure: state.measure,
                                             month: state.month === null ? "" : monthIso(state.month) });
    if (location.hash !== hash) history.replaceState(null, "", hash);

    const figure = seriesFigure(s), change = changeFigure(s, list);
    rendered = Promise.all([Plotly.react("series-chart", figure.data, figure.layout, CONFIG),
                            Plotly.react("change-chart", change.data, change.layout, CONFIG)]);
    window.overviewPage.rendered = rendered;
    return rendered;
  }

  window.overviewPage = { state, csv, update, rendered };
  fillGeographies();
  const asked = new URLSearchParams(location.hash.slice(1));
  if (asked.get("geography")) state.geography = asked.get("geography");
  if (asked.get("main")) state.main = asked.get("main");
  if (asked.get("measure")) state.measure = asked.get("measure");
  state.month = monthFromIso(asked.get("month"));
  pick.geography.addEventListener("change", () => { state.geography = pick.geography.value; update(); });
  pick.main.addEventListener("change", () => { state.main = pick.main.value; update(); });
  pick.measure.addEventListener("change", () => { state.measure = pick.measure.value; update(); });
  pick.month.addEventListener("change", () => { state.month = monthFromIso(pick.month.value); update(); });
  update();
})();
