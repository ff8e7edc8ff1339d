// Consumption (§8.5): GET /api/v1/consumption/ for the choice of the left pane over its time
// period, drawn as stacked bars, a pie or the manual's table. A bar opens its bucket one step
// finer (month → week → day → hour); a load's name in the legend leaves it out of the total.
// Buckets are the site's days, weeks and months (the server's), shown on the site's clock;
// numbers in the page's locale with the unit's precision (numbers.js).

import { formatNumber, formatQuantity } from "../../webview/js/numbers.js";
import { SITE_ZONE, formatDate, formatDateTime } from "../../webview/js/time.js";

const root = document.querySelector("[data-consumption]");
const query = JSON.parse(document.getElementById("consumption-query").textContent);
const lang = document.documentElement.lang;
const chartElement = root.querySelector("[data-consumption-chart]");
const table = root.querySelector("[data-consumption-table]");
const empty = root.querySelector("[data-consumption-empty]");
const FINER = { month: "week", week: "day", day: "hour", hour: "minute" };
const LABELS = {
  month: (at) => formatDate(at, { month: "long", year: "numeric" }),
  week: (at) => formatDate(at),
  day: (at) => formatDate(at, { weekday: "short", day: "numeric", month: "numeric" }),
  hour: (at) => formatDateTime(at, { hour: "2-digit", minute: "2-digit" }),
  minute: (at) => formatDateTime(at, { hour: "2-digit", minute: "2-digit" }),
};
// Where a bucket's label is short (hours, minutes), the tooltip and the table name the day too,
// and the zone's offset: the repeated autumn hour reads twice "02:00", once per offset.
const FULL = {
  ...LABELS,
  day: (at) => formatDate(at, { weekday: "short", day: "numeric", month: "short", year: "numeric" }),
  hour: (at) => formatDateTime(at, { zone: true }),
  minute: (at) => formatDateTime(at, { zone: true }),
};

let period = null; // from the left pane: {start, end, step}
let drill = []; // the ranges opened by clicking bars: [{start, end, step}]
let by = "load";
let view = "bars";
let data = null;
let hidden = new Set();
let chart = null;
let generation = 0;

const range = () => drill[drill.length - 1] ?? period;

async function load() {
  const current = range();
  if (!current) return;
  const params = new URLSearchParams({ ...query, start: current.start, end: current.end,
    step: current.step ?? "auto", ...(query.hierarchy ? { by } : {}) });
  const mine = ++generation;
  const response = await fetch(`/api/v1/consumption/?${params}`, { headers: { Accept: "application/json" } });
  if (mine !== generation || !response.ok) return;
  data = await response.json();
  hidden = new Set([...hidden].filter((name) => data.loads.some((l) => l.name === name)));
  root.querySelector("[data-drill-up]").hidden = drill.length === 0;
  root.querySelector("[data-consumption-unit]").textContent = data.unit;
  root.querySelector("[data-consumption-period]").textContent =
    `${formatDateTime(current.start)} → ${formatDateTime(current.end)} (${SITE_ZONE})`;
  chartElement.dataset.start = current.start;
  chartElement.dataset.end = current.end;
  render();
}

const shown = () => data.loads.filter((l) => !hidden.has(l.name));
const sum = (values) => values.reduce((total, v) => total + (v ?? 0), 0);
const decimals = () => data.decimals ?? 0;
const quantity = (value) => formatQuantity(value, data.unit, decimals());

function renderTotal() {
  const total = sum(shown().map((l) => sum(l.values)));
  root.querySelector("[data-consumption-total]").textContent = formatNumber(total, decimals());
  root.dataset.total = String(Math.round(total * 1000) / 1000);
}

function option() {
  const labels = data.buckets.map((b) => LABELS[data.step](b));
  // The legend has its own band above the plot, so it never runs over the axis' unit or labels.
  const legend = { type: "scroll", top: 0, left: 0, right: 0,
    selected: Object.fromEntries(data.loads.map((l) => [l.name, !hidden.has(l.name)])) };
  // Tooltips drawn on the canvas (richText): ECharts' HTML tooltips carry style attributes,
  // which the CSP (no 'unsafe-inline' styles) refuses.
  const tooltip = { renderMode: "richText", valueFormatter: (value) => quantity(value), confine: true };
  if (view === "pie") {
    return { animation: false, legend, tooltip: { ...tooltip, trigger: "item",
      formatter: ({ name, value, percent }) => `${name}\n${quantity(value)} · ${formatNumber(percent, 1)} %` },
    series: [{
      type: "pie", radius: ["30%", "62%"], top: 40,
      label: { formatter: ({ name, value, percent }) => `${name}\n${quantity(value)} (${formatNumber(percent, 1)} %)` },
      data: data.loads.map((l) => ({ name: l.name, value: sum(l.values) })),
    }] };
  }
  return { animation: false, legend, tooltip: { ...tooltip, trigger: "axis",
    formatter: (items) => [FULL[data.step](data.buckets[items[0]?.dataIndex]),
      ...items.filter((item) => item.value !== null && item.value !== undefined)
        .map((item) => `${item.seriesName}: ${quantity(item.value)}`)].join("\n") },
  grid: { left: 8, right: 16, top: 72, bottom: 8, containLabel: true },
  xAxis: { type: "category", data: labels },
  yAxis: { type: "value", name: data.unit, nameGap: 16, axisLabel: { formatter: (value) => formatNumber(value, decimals()) } },
  series: data.loads.map((l) => ({ name: l.name, type: "bar", stack: "loads", data: l.values })) };
}

function renderTable() {
  // As the manual: Total and Average first, then a row per bucket; Total column then a column per load.
  const loads = shown();
  const head = document.createElement("tr");
  for (const text of ["", `${root.dataset.textTotal} (${data.unit})`, ...loads.map((l) => `${l.name} (${data.unit})`)]) {
    const th = document.createElement("th");
    th.textContent = text;
    head.append(th);
  }
  table.tHead.replaceChildren(head);
  const row = (label, values, summary) => {
    const tr = document.createElement("tr");
    if (summary) tr.className = "summary";
    for (const value of [label, ...values]) {
      const td = document.createElement("td");
      td.textContent = typeof value === "string" ? value : formatNumber(value, decimals());
      tr.append(td);
    }
    return tr;
  };
  const perBucket = data.buckets.map((_, n) => loads.map((l) => l.values[n]));
  const totals = loads.map((l) => sum(l.values));
  const count = Math.max(1, data.buckets.length);
  table.tBodies[0].replaceChildren(
    row(root.dataset.textTotal, [sum(totals), ...totals], true),
    row(root.dataset.textAverage, [sum(totals) / count, ...totals.map((t) => t / count)], true),
    ...perBucket.map((values, n) => row(FULL[data.step](data.buckets[n]),
      [values.every((v) => v === null) ? null : sum(values), ...values], false)),
  );
}

function render() {
  renderTotal();
  const hasData = data.loads.some((l) => l.values.some((v) => v !== null));
  empty.hidden = hasData;
  empty.textContent = root.dataset.textNoData;
  chartElement.hidden = !hasData || view === "table";
  table.hidden = !hasData || view !== "table";
  if (view === "table") renderTable();
  if (!chartElement.hidden && window.echarts) {
    if (!chart) {
      chart = window.echarts.init(chartElement, null, { locale: lang === "fr" ? "FR" : "EN" });
      // A click on a name (legendselectchanged) or the same through an action (legend(un)selected).
      for (const name of ["legendselectchanged", "legendselected", "legendunselected"]) {
        chart.on(name, (event) => {
          hidden = new Set(Object.entries(event.selected).filter(([, on]) => !on).map(([load]) => load));
          renderTotal();
        });
      }
      chart.on("click", (event) => {
        if (event.componentType !== "series" || view !== "bars" || !FINER[data.step]) return;
        const start = data.buckets[event.dataIndex];
        const end = data.buckets[event.dataIndex + 1] ?? range().end;
        drill.push({ start, end, step: FINER[data.step] });
        load();
      });
      window.addEventListener("resize", () => chart.resize());
    }
    chart.setOption(option(), { notMerge: true });
    chart.resize();
  }
  chartElement.dataset.bars = String(data.buckets.length);
  chartElement.dataset.step = data.step;
  chartElement.dataset.view = view;
}

function pressed(selector, value, key) {
  root.querySelectorAll(selector).forEach((button) => {
    button.setAttribute("aria-pressed", button.dataset[key] === value ? "true" : "false");
  });
}

root.querySelectorAll("[data-by]").forEach((button) => button.addEventListener("click", () => {
  by = button.dataset.by;
  pressed("[data-by]", by, "by");
  hidden = new Set();
  load();
}));
root.querySelectorAll("[data-view]").forEach((button) => button.addEventListener("click", () => {
  view = button.dataset.view;
  pressed("[data-view]", view, "view");
  if (data) render();
}));
root.querySelector("[data-drill-up]").addEventListener("click", () => {
  drill.pop();
  load();
});
document.addEventListener("webview:period", (event) => {
  const { start, end, step } = event.detail;
  period = { start, end, step: step === "auto" ? "auto" : step };
  drill = [];
  load();
});
document.querySelector("[data-period-select]")?.dispatchEvent(new Event("change"));
