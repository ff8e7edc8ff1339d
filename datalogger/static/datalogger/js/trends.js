// Trends (§8.6): curves chosen from one or several circuits, drawn over the time period of the
// left pane from GET /api/v1/trends/ (the server reduces them to at most POINTS buckets).
// The selection and the rendering options survive moving from circuit to circuit (localStorage);
// favourites (§7.4) keep them and the time period on the server, per profile. Times are on the
// site's clock (time.js) whatever the browser's zone; numbers in the page's locale with each
// quantity's precision and unit (numbers.js).

import { formatNumber, formatQuantity } from "../../webview/js/numbers.js";
import {
  addDays, addMonths, formatDate, formatDateTime, formatTime, siteParts, startOfDay, startOfMonth,
  toDate, toSiteISO, zoneLabel,
} from "../../webview/js/time.js";

const POINTS = 800;
const root = document.querySelector("[data-trends]");
const lang = document.documentElement.lang;
const csrf = root.querySelector("input[name=csrfmiddlewaretoken]").value;
const pick = root.querySelector("[data-circuit]");
const chartElement = root.querySelector("[data-trends-chart]");
const empty = root.querySelector("[data-trends-empty]");
const table = root.querySelector("[data-trends-table]");
const store = {
  get(key, fallback) {
    try { return JSON.parse(localStorage.getItem(`webview.trends.${key}`)) ?? fallback; } catch { return fallback; }
  },
  set(key, value) {
    try { localStorage.setItem(`webview.trends.${key}`, JSON.stringify(value)); } catch { /* private mode */ }
  },
};

let selection = store.get("selection", []); // [{circuit, quantity}]
let options = { mode: "single", auto_scale: false, table: false, ...store.get("options", {}) };
let period = null;
let curves = []; // the fetched curves: {circuit, quantity, name, unit, points}
let hidden = new Set(); // curve names hidden from the legend
let chart = null;
let generation = 0;

const same = (a, b) => a.circuit === b.circuit && a.quantity === b.quantity;
const withUnit = (curve) => `${curve.name}${curve.unit ? ` (${curve.unit})` : ""}`;
const drawn = () => curves.filter((curve) => curve.points.length); // a curve without data draws no axis

async function fetchCurve(curve) {
  const query = new URLSearchParams({ circuit: curve.circuit, quantity: curve.quantity, start: period.start,
    end: period.end, points: String(POINTS) });
  const response = await fetch(`/api/v1/trends/?${query}`, { headers: { Accept: "application/json" } });
  if (!response.ok) return null;
  const body = await response.json();
  return { ...curve, name: `${body.circuit_name} : ${body.label}`, unit: body.unit, decimals: body.decimals,
    points: body.points };
}

async function refresh() {
  store.set("selection", selection);
  syncCheckboxes();
  if (!period) return;
  const mine = ++generation;
  const fetched = (await Promise.all(selection.map(fetchCurve))).filter(Boolean);
  if (mine !== generation) return; // a later refresh won
  curves = fetched;
  renderCurveList();
  draw();
}

function syncCheckboxes() {
  pick?.querySelectorAll("[data-quantity]").forEach((box) => {
    box.checked = selection.some((curve) => same(curve, { circuit: Number(pick.dataset.circuit), quantity: box.dataset.quantity }));
  });
}

function renderCurveList() {
  const list = root.querySelector("[data-curves]");
  list.replaceChildren(...curves.map((curve) => {
    const item = document.createElement("li");
    const name = document.createElement("span");
    name.textContent = withUnit(curve);
    if (!curve.points.length) {
      // Kept in the selection (another period may have data) but drawn nowhere: say why.
      const note = document.createElement("span");
      note.className = "muted";
      note.dataset.curveNoData = "";
      note.textContent = ` · ${root.dataset.textCurveNoData}`;
      name.append(note);
    }
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "button";
    remove.textContent = root.dataset.textRemove;
    remove.addEventListener("click", () => {
      selection = selection.filter((other) => !same(other, curve));
      item.remove(); // at once: the list is redrawn when the remaining curves are fetched
      refresh();
    });
    item.append(name, remove);
    return item;
  }));
}

// Ticks of the time axis on the site's clock: ECharts places a time axis' ticks on the
// browser's midnights and hours, so they are computed here (whole site hours, site midnights,
// first days of the site's months) and given to the axis as custom values.
const MINUTE = 60000;
const STEPS = [1, 5, 10, 15, 30, 60, 120, 180, 360, 720].map((minutes) => ({ minutes }))
  .concat([1, 2, 7, 14].map((days) => ({ days })), [1, 3, 6].map((months) => ({ months })), [{ months: 12 }]);

function siteTicks(from, to, most = 7) {
  const span = to - from;
  if (!(span > 0)) return [];
  const step = STEPS.find((s) => (s.minutes ? s.minutes * MINUTE : s.days ? s.days * 1440 * MINUTE
    : s.months * 30.4 * 1440 * MINUTE) * most >= span) ?? STEPS[STEPS.length - 1];
  const ticks = [];
  if (step.minutes) {
    // From the site's midnight, every step of wall-clock minutes (a DST day simply has one fewer
    // or one more hour).
    for (let day = startOfDay(from); day.getTime() <= to; day = addDays(day, 1)) {
      const next = addDays(day, 1).getTime();
      for (let t = day.getTime(); t < next; t += step.minutes * MINUTE) {
        const p = siteParts(t);
        if ((p.hour * 60 + p.minute) % step.minutes !== 0) continue; // the hour after a spring gap
        if (t >= from && t <= to) ticks.push(t);
      }
    }
  } else if (step.days) {
    for (let day = startOfDay(from); day.getTime() <= to; day = addDays(day, 1)) {
      const p = siteParts(day);
      const weekly = step.days >= 7 ? p.weekday === 1 : (Math.round(day.getTime() / 86400000) % step.days === 0);
      if (day.getTime() >= from && weekly) ticks.push(day.getTime());
    }
  } else {
    for (let month = startOfMonth(from); month.getTime() <= to; month = addMonths(month, 1)) {
      if (month.getTime() >= from && (siteParts(month).month - 1) % step.months === 0) ticks.push(month.getTime());
    }
  }
  return ticks;
}

function tickLabel(value) {
  const p = siteParts(value);
  if (p.hour || p.minute) return formatTime(value, { seconds: false });
  if (p.day !== 1) return formatDate(value, { day: "numeric", month: "short" });
  return p.month === 1 ? formatDate(value, { year: "numeric" }) : formatDate(value, { month: "short", year: "numeric" });
}

function timeAxes(count, stacked, [from, to]) {
  const ticks = siteTicks(toDate(from)?.getTime(), toDate(to)?.getTime());
  return Array.from({ length: count }, (_, n) => ({
    type: "time", gridIndex: n,
    // The zone of the times, once, at the end of the (lowest) time axis.
    name: !stacked || n === count - 1 ? zoneLabel(toDate(to) ?? Date.now()) : "", nameLocation: "end",
    nameGap: 8, nameTextStyle: { align: "right", verticalAlign: "top", padding: [24, 0, 0, 0] },
    axisLabel: { show: !stacked || n === count - 1, customValues: ticks, formatter: tickLabel, hideOverlap: true },
    axisTick: { customValues: ticks },
  }));
}

const LEGEND_BAND = 40; // the legend's own band above the graphs: it never runs over an axis name
const TOP = LEGEND_BAND + 28; // room for the unit above the first value axis
const BOTTOM = 88; // the time labels, then the zoom slider below them
const STACK_GAP = 36;

function layout(units, stacked) {
  const height = chartElement.clientHeight || 460;
  if (!stacked) {
    return [{ left: 72, right: 32 + 64 * Math.max(0, units.length - 1), top: TOP, bottom: BOTTOM }];
  }
  const each = (height - TOP - BOTTOM - STACK_GAP * (units.length - 1)) / Math.max(units.length, 1);
  return units.map((_, n) => ({ left: 72, right: 32, top: TOP + n * (each + STACK_GAP), height: each }));
}

function tooltipText(items) {
  const list = Array.isArray(items) ? items : [items];
  if (!list.length) return "";
  const lines = [formatDateTime(list[0].value[0], { zone: true })];
  for (const item of list) {
    const curve = drawn()[item.seriesIndex];
    if (curve && item.value[1] !== null) lines.push(`${curve.name}: ${formatQuantity(item.value[1], curve.unit, curve.decimals)}`);
  }
  return lines.join("\n");
}

function chartOption() {
  const shown = drawn();
  const units = [...new Set(shown.map((curve) => curve.unit))];
  const stacked = options.mode === "stacked";
  const grids = layout(units, stacked);
  const decimalsOf = (unit) => shown.find((curve) => curve.unit === unit)?.decimals ?? 2;
  const yAxes = units.map((unit, n) => ({
    type: "value", name: unit, scale: options.auto_scale, gridIndex: stacked ? n : 0,
    position: stacked || n === 0 ? "left" : "right", offset: stacked || n === 0 ? 0 : 64 * (n - 1),
    nameGap: 12, axisLabel: { formatter: (value) => formatNumber(value, decimalsOf(unit)) },
  }));
  const series = shown.map((curve) => ({
    name: curve.name, type: "line", showSymbol: false, connectNulls: false,
    xAxisIndex: stacked ? units.indexOf(curve.unit) : 0, yAxisIndex: units.indexOf(curve.unit),
    data: curve.points.map(([time, , mean]) => [time, mean]),
  }));
  const every = grids.map((_, n) => n);
  return {
    animation: false, grid: grids, xAxis: timeAxes(grids.length, stacked, [period.start, period.end]), yAxis: yAxes, series,
    legend: { type: "scroll", top: 4, left: 16, right: 16,
      selected: Object.fromEntries(shown.map((c) => [c.name, !hidden.has(c.name)])) },
    // Drawn on the canvas (richText): ECharts' HTML tooltips carry style attributes, which the
    // CSP (no 'unsafe-inline' styles) refuses.
    tooltip: { trigger: "axis", renderMode: "richText", confine: true, formatter: tooltipText },
    axisPointer: { link: [{ xAxisIndex: "all" }] },
    dataZoom: [{ type: "inside", xAxisIndex: every },
      { type: "slider", xAxisIndex: every, bottom: 8, height: 24, labelFormatter: (value) => formatDateTime(value) }],
  };
}

function draw() {
  const hasData = drawn().length > 0;
  empty.hidden = hasData;
  if (selection.length && !hasData) empty.textContent = root.dataset.textNoData;
  chartElement.hidden = !hasData;
  if (hasData && window.echarts) {
    if (!chart) {
      chart = window.echarts.init(chartElement, null, { locale: lang === "fr" ? "FR" : "EN" });
      for (const name of ["legendselectchanged", "legendselected", "legendunselected"]) {
        chart.on(name, (event) => {
          hidden = new Set(Object.entries(event.selected).filter(([, shown]) => !shown).map(([curve]) => curve));
          renderTable();
        });
      }
      chart.on("datazoom", () => {
        // The ticks follow the window shown, still on the site's clock.
        const units = [...new Set(drawn().map((curve) => curve.unit))];
        const stacked = options.mode === "stacked";
        chart.setOption({ xAxis: timeAxes(stacked ? units.length : 1, stacked, zoomWindow()) });
        renderTable();
      });
      window.addEventListener("resize", () => chart.resize());
    }
    // A graph per unit needs room: the chart grows with them (CSSOM, which the CSP allows).
    const units = new Set(drawn().map((curve) => curve.unit)).size;
    chartElement.classList.toggle("stacked", options.mode === "stacked");
    chartElement.style.height = options.mode === "stacked" ? `${Math.max(460, 156 + units * 200)}px` : "";
    chart.resize();
    chart.setOption(chartOption(), { notMerge: true });
  }
  chartElement.dataset.mode = options.mode;
  chartElement.dataset.curves = String(drawn().length);
  renderTable();
}

function zoomWindow() {
  // The time range the zoom shows, as ISO strings; everything when not zoomed.
  const all = curves.flatMap((curve) => curve.points.map(([time]) => time)).sort();
  if (!chart || !all.length) return [all[0], all[all.length - 1]];
  const zoom = chart.getOption().dataZoom?.[0] ?? { start: 0, end: 100 };
  const first = Date.parse(all[0]);
  const span = Date.parse(all[all.length - 1]) - first;
  const at = (percent) => new Date(first + (span * percent) / 100).toISOString();
  return [at(zoom.start ?? 0), at(zoom.end ?? 100)];
}

function shownRows() {
  // What is shown: the curves drawn and not hidden, the buckets inside the zoom window.
  const shown = drawn().filter((curve) => !hidden.has(curve.name));
  const [from, to] = zoomWindow();
  const rows = new Map();
  shown.forEach((curve, n) => {
    for (const [time, , mean] of curve.points) {
      if (from && (Date.parse(time) < Date.parse(from) - 1000 || Date.parse(time) > Date.parse(to) + 1000)) continue;
      if (!rows.has(time)) rows.set(time, new Array(shown.length).fill(null));
      rows.get(time)[n] = mean;
    }
  });
  return { shown, rows: [...rows.entries()].sort(([a], [b]) => Date.parse(a) - Date.parse(b)) };
}

function renderTable() {
  table.hidden = !options.table || !curves.length;
  if (table.hidden) return;
  const { shown, rows } = shownRows();
  const head = document.createElement("tr");
  for (const text of [`${root.dataset.textTime} (${zoneLabel(period.end)})`, ...shown.map(withUnit)]) {
    const th = document.createElement("th");
    th.textContent = text;
    head.append(th);
  }
  table.tHead.replaceChildren(head);
  table.tBodies[0].replaceChildren(...rows.map(([time, values]) => {
    const tr = document.createElement("tr");
    const when = document.createElement("td");
    when.textContent = formatDateTime(time);
    tr.append(when, ...values.map((value, n) => {
      const td = document.createElement("td");
      td.textContent = formatNumber(value, shown[n].decimals);
      return td;
    }));
    return tr;
  }));
}

function exportCsv() {
  // The data shown, as a file: ISO time with the site's offset, then one column per curve (dot
  // decimals, ";" between).
  const { shown, rows } = shownRows();
  const quote = (text) => `"${String(text).replaceAll('"', '""')}"`;
  const lines = [["time", ...shown.map(withUnit)].map(quote).join(";")];
  for (const [time, values] of rows) lines.push([toSiteISO(time), ...values.map((v) => (v === null ? "" : String(v)))].join(";"));
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([`${lines.join("\r\n")}\r\n`], { type: "text/csv" }));
  link.download = `trends_${period.start.slice(0, 10)}_${period.end.slice(0, 10)}.csv`;
  document.body.append(link);
  link.click();
  link.remove();
}

function setupPick() {
  if (!pick) return;
  const circuit = Number(pick.dataset.circuit);
  const category = pick.querySelector("[data-category]");
  const firstWithData = [...category.options].find((option) => !option.disabled);
  if (firstWithData) category.value = firstWithData.value;
  const showCategory = () => pick.querySelectorAll("[data-category-panel]").forEach((panel) => {
    panel.hidden = panel.dataset.categoryPanel !== category.value;
  });
  category.addEventListener("change", showCategory);
  showCategory();
  pick.querySelectorAll("[data-quantity]").forEach((box) => box.addEventListener("change", () => {
    const curve = { circuit, quantity: box.dataset.quantity };
    selection = box.checked ? [...selection.filter((other) => !same(other, curve)), curve]
      : selection.filter((other) => !same(other, curve));
    refresh();
  }));
}

function setupOptions() {
  root.querySelectorAll("[data-option]").forEach((input) => {
    const key = input.dataset.option;
    if (input.type === "checkbox") input.checked = Boolean(options[key]); else input.value = options[key];
    input.addEventListener("change", () => {
      options = { ...options, [key]: input.type === "checkbox" ? input.checked : input.value };
      store.set("options", options);
      draw();
    });
  });
  root.querySelector("[data-export-csv]").addEventListener("click", exportCsv);
}

// A predefined period is kept by its name (last week stays last week); custom dates as instants.
function savedPeriod() {
  if (!period) return undefined;
  return period.period === "custom" ? { period: "custom", start: period.start, end: period.end } : { period: period.period };
}

function setupFavourites() {
  const form = root.querySelector("[data-favourite-form]");
  const message = root.querySelector("[data-favourite-message]");
  const list = root.querySelector("[data-favourites]");
  const title = root.querySelector("[data-trends-title]");
  const headers = { Accept: "application/json", "Content-Type": "application/json", "X-CSRFToken": csrf };
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const response = await fetch("/api/v1/favourites/", { method: "POST", headers, body: JSON.stringify({
      name: data.get("name"), title: data.get("title"), selection, options, period: savedPeriod() }) });
    const body = await response.json();
    message.classList.toggle("error", !response.ok);
    if (!response.ok) {
      message.textContent = Object.values(body).flat().join(" ");
      return;
    }
    message.textContent = root.dataset.textSaved;
    list.append(new Option(body.name, body.id));
    list.value = String(body.id);
    title.textContent = body.title;
    form.reset();
  });
  list.addEventListener("change", async () => {
    if (!list.value) return;
    const response = await fetch(`/api/v1/favourites/${list.value}/`, { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const favourite = await response.json();
    selection = favourite.selection;
    options = { ...options, ...favourite.options };
    store.set("options", options);
    root.querySelectorAll("[data-option]").forEach((input) => {
      if (input.type === "checkbox") input.checked = Boolean(options[input.dataset.option]);
      else input.value = options[input.dataset.option];
    });
    title.textContent = favourite.title;
    if (favourite.period?.period) {
      // The pane takes the favourite's period and announces it (webview:period), which redraws.
      document.dispatchEvent(new CustomEvent("webview:set-period", { detail: favourite.period }));
    }
    refresh();
  });
  root.querySelector("[data-favourite-delete]").addEventListener("click", async () => {
    if (!list.value) return;
    const response = await fetch(`/api/v1/favourites/${list.value}/`, { method: "DELETE", headers });
    if (response.ok) {
      list.selectedOptions[0].remove();
      list.value = "";
      title.textContent = "";
    }
  });
}

document.addEventListener("webview:period", (event) => {
  period = event.detail;
  refresh();
});
setupPick();
setupOptions();
setupFavourites();
// The time period was announced before this module ran: ask for it again.
document.querySelector("[data-period-select]")?.dispatchEvent(new Event("change"));
refresh();
