// Monitor page (§8.2): live values over /ws/live/ (DESIGN.md contract), updated in place.
// The server renders the page with the last cached payload; every message replaces it.
// Numbers: numbers.js with each quantity's decimals (devices/catalogue/precision.yaml, passed in
// live-quantities); times: time.js, in the site's zone.

import { MISSING, formatAxis, formatNumber, formatQuantity } from "../../webview/js/numbers.js";
import { formatDate, formatDateTime, formatTime, toSiteISO } from "../../webview/js/time.js";
import { LEGEND_BAND, chartOption, legend } from "./monitor_charts.js";

const root = document.querySelector("[data-monitor]");
const quantities = JSON.parse(document.getElementById("live-quantities").textContent);
let live = JSON.parse(document.getElementById("live-initial").textContent);
const deviceId = Number(root.dataset.device);
const circuitSelect = root.querySelector("[data-circuit]");
const lang = document.documentElement.lang;
const charts = new Map();

function decimalsOf(code) {
  return quantities[code]?.decimals ?? 2;
}

export function format(code, value) {
  if (value === null || value === undefined) return MISSING;
  const quantity = quantities[code] ?? {};
  if (quantity.states) return quantity.states[String(Math.round(value))] ?? String(value);
  if (quantity.unit === "s") return duration(value);
  return formatNumber(value, decimalsOf(code));
}

function withUnit(code, value) {
  const quantity = quantities[code] ?? {};
  if (quantity.states || quantity.unit === "s") return format(code, value);
  return formatQuantity(value, quantity.unit ?? "", decimalsOf(code));
}

// What the chart options need of the page (monitor_charts.js): its quantities and words.
const page = { quantities, withUnit, texts: { instantaneous: root.dataset.textInstantaneous, average: root.dataset.textAverage } };

function duration(seconds) {
  // As the manual's Counters tab writes them: "14 d 8 h 12 m 32 s".
  let left = Math.max(0, Math.round(seconds));
  const parts = [];
  for (const [size, unit] of [[86400, "d"], [3600, "h"], [60, "m"]]) {
    if (left >= size || parts.length) parts.push(`${formatNumber(Math.floor(left / size), 0)} ${unit}`);
    left %= size;
  }
  parts.push(`${left} s`);
  return parts.join(" ");
}

function timeText(timestamp) {
  return timestamp ? formatDateTime(timestamp, { seconds: true }) : root.dataset.textNever;
}

function currentValues() {
  const index = Number(circuitSelect?.value ?? live.circuits?.[0]?.index ?? 1);
  const circuits = live.circuits ?? [];
  const circuit = circuits.find((one) => one.index === index) ?? circuits[0];
  return circuit?.values ?? {};
}

function renderStatus() {
  const badge = root.querySelector("[data-status]");
  if (!badge) return; // a gateway: its status is its modules'
  const online = live.status === "online";
  badge.textContent = online ? root.dataset.textOnline : root.dataset.textOffline;
  badge.classList.toggle("online", online);
  root.querySelector("[data-reason]").textContent = online ? "" : (live.reason ?? "");
  const time = root.querySelector("[data-timestamp]");
  time.textContent = timeText(live.timestamp);
  if (live.timestamp) time.setAttribute("datetime", live.timestamp);
}

function showText(cell, text) {
  if (cell.textContent !== text) {
    cell.textContent = text;
    cell.classList.remove("changed");
    void cell.offsetWidth; // restart the highlight
    cell.classList.add("changed");
  }
}

function renderShares(values) {
  // §8.2.1 Energy: the breakdown over the tariff periods, each period's share of their sum.
  root.querySelectorAll("[data-tariffs]").forEach((table) => {
    const cells = [...table.querySelectorAll("[data-share]")];
    const indexes = cells.map((cell) => values[cell.dataset.share]);
    const total = indexes.reduce((sum, value) => sum + (Number.isFinite(value) ? value : 0), 0);
    cells.forEach((cell, n) => {
      const value = indexes[n];
      showText(cell, total > 0 && Number.isFinite(value) ? formatQuantity((100 * value) / total, "%", 1) : MISSING);
    });
  });
}

function renderValues() {
  const values = currentValues();
  root.querySelectorAll("[data-value]").forEach((cell) => showText(cell, format(cell.dataset.value, values[cell.dataset.value])));
  // Tabs listing every circuit (F-60 Circuits): "index:code" cells, and the time of the values.
  const byIndex = new Map((live.circuits ?? []).map((circuit) => [circuit.index, circuit.values]));
  root.querySelectorAll("[data-circuit-value]").forEach((cell) => {
    const [index, code] = cell.dataset.circuitValue.split(":");
    showText(cell, format(code, byIndex.get(Number(index))?.[code]));
  });
  const stamp = live.status === "online" ? timeText(live.timestamp) : MISSING;
  root.querySelectorAll("[data-circuit-time]").forEach((time) => { time.textContent = stamp; });
  renderShares(values);
  renderSwitch(values);
}

// ATyS position: 0, I or II, from the normalised POS or the ATyS p M code (1 = 0, 2 = I, 3 = II).
const ARM_END = { 0: [160, 104], 1: [70, 104], 2: [250, 104] };

function switchPosition(values) {
  if (values.POS !== undefined && values.POS !== null) return Math.round(values.POS);
  if (values.POS_CODE !== undefined && values.POS_CODE !== null && values.POS_CODE > 0) return Math.round(values.POS_CODE) - 1;
  return null;
}

function sourceLive(values, source) {
  const state = values[`SRC${source}_STATE`] ?? (values[`SRC${source}_AVAILABLE`] === undefined ? undefined : values[`SRC${source}_AVAILABLE`] * 2);
  return state !== undefined && state !== null && state >= 1;
}

function renderSwitch(values) {
  const diagram = root.querySelector("[data-switch-diagram]");
  if (!diagram) return;
  const position = live.status === "online" ? switchPosition(values) : null;
  const [x, y] = ARM_END[position ?? 0];
  const arm = diagram.querySelector("[data-arm]");
  arm.setAttribute("x2", x);
  arm.setAttribute("y2", position === 0 || position === null ? 120 : y);
  diagram.dataset.position = position ?? "unknown";
  const caption = diagram.querySelector("[data-switch-caption]");
  caption.textContent = caption.getAttribute(`data-text-${position ?? "unknown"}`);
  for (const source of [1, 2]) {
    diagram.querySelector(`[data-source="${source}"]`).classList.toggle("live", live.status === "online" && sourceLive(values, source));
  }
}

function chartOf(element) {
  let chart = charts.get(element);
  if (!chart) {
    chart = window.echarts.init(element, null, { locale: lang === "fr" ? "FR" : "EN" });
    charts.set(element, chart);
  }
  return chart;
}

function renderCharts() {
  if (!window.echarts) return;
  const values = currentValues();
  root.querySelectorAll(".tab-panel:not([hidden]).show-chart [data-chart]").forEach((element) => {
    const option = chartOption(element, values, page);
    // Plots stacked one above the other need the room: the element grows with them.
    const height = option.chartHeight;
    delete option.chartHeight;
    element.style.height = height ? `${height}px` : "";
    const chart = chartOf(element);
    chart.setOption(option, { notMerge: true });
    chart.resize();
  });
}

function render() {
  renderStatus();
  renderValues();
  renderCharts();
}

function setupTabs() {
  const tabs = root.querySelectorAll("[data-tab]");
  tabs.forEach((tab) => tab.addEventListener("click", () => {
    tabs.forEach((other) => other.setAttribute("aria-selected", other === tab ? "true" : "false"));
    root.querySelectorAll("[data-panel]").forEach((panel) => { panel.hidden = panel.dataset.panel !== tab.dataset.tab; });
    renderCharts();
  }));
  root.querySelectorAll("[data-mode-toggle]").forEach((button) => button.addEventListener("click", () => {
    const panel = button.closest(".tab-panel");
    const chart = panel.classList.toggle("show-chart");
    button.textContent = chart ? button.dataset.textTable : button.dataset.textChart;
    renderCharts();
    charts.forEach((one) => one.resize()); // a chart drawn while hidden has no size
  }));
  circuitSelect?.addEventListener("change", render);
  window.addEventListener("resize", () => charts.forEach((chart) => chart.resize()));
}

function connect(attempt = 0) {
  const banner = root.querySelector("[data-connection]");
  const socket = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws/live/`);
  socket.addEventListener("open", () => {
    attempt = 0;
    banner.hidden = true;
    socket.send(JSON.stringify({ subscribe: moduleIds.length ? moduleIds : [deviceId] }));
  });
  socket.addEventListener("message", (event) => {
    const message = JSON.parse(event.data);
    if (message.device === deviceId) {
      live = message;
      render();
    } else if (moduleIds.includes(message.device)) {
      renderModule(message.device, message);
    }
  });
  socket.addEventListener("close", () => {
    banner.hidden = false;
    // Back off to 10 s between attempts; the page itself is never reloaded.
    setTimeout(() => connect(attempt + 1), Math.min(10000, 500 * 2 ** attempt));
  });
}

// A gateway's page (§9.6.1: modules are polled through it): each module's status live from its
// own messages, the link counters (which messages do not carry) refreshed from the server.
const moduleIds = (root.dataset.modules ?? "").split(",").filter(Boolean).map(Number);

function renderModule(id, state) {
  const row = root.querySelector(`[data-module="${id}"]`);
  const badge = row?.querySelector("[data-module-status]");
  if (!badge) return;
  const online = state.status === "online";
  badge.textContent = online ? root.dataset.textOnline : root.dataset.textOffline;
  badge.classList.toggle("online", online);
  row.querySelector("[data-module-reason]").textContent = online ? "" : (state.reason ?? "");
  for (const [name, value] of Object.entries(state.counters ?? {})) {
    const count = row.querySelector(`[data-counter="${name}"]`);
    if (count) {
      count.dataset.count = value;
      count.textContent = formatNumber(value, 0);
    }
    const text = row.querySelector(`[data-counter-text="${name}"]`);
    if (text) text.textContent = value ?? "";
    const time = row.querySelector(`[data-counter-time="${name}"]`);
    if (time) {
      time.setAttribute("datetime", value ?? "");
      time.textContent = value ? formatDateTime(value, { seconds: true }) : MISSING;
    }
  }
}

function renderCounters() {
  root.querySelectorAll("[data-counter]").forEach((cell) => { cell.textContent = formatNumber(Number(cell.dataset.count), 0); });
  root.querySelectorAll("[data-counter-time]").forEach((time) => {
    const value = time.getAttribute("datetime");
    time.textContent = value ? formatDateTime(value, { seconds: true }) : MISSING;
  });
}

async function refreshModules() {
  const section = root.querySelector("[data-gateway-modules]");
  try {
    const response = await fetch(section.dataset.modulesUrl, { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const body = await response.json();
    const badge = root.querySelector("[data-gateway-status]");
    badge.textContent = body.status === "online" ? root.dataset.textOnline : root.dataset.textOffline;
    badge.classList.toggle("online", body.status === "online");
    root.querySelector("[data-gateway-summary]").textContent = body.reason;
    body.modules.forEach((module) => renderModule(module.id, module));
  } catch (error) {
    // The connection banner already says the gateway is unreachable; the next refresh retries.
  }
}

function setupGateway() {
  if (!root.hasAttribute("data-gateway") || !root.querySelector("[data-gateway-modules]")) return;
  renderCounters();
  window.setInterval(refreshModules, 5_000);
}

function setupReset() {
  // §5 reset of counters: confirmed in a dialog, then posted; the server's answer is shown.
  const dialog = root.querySelector("[data-reset-dialog]");
  const opener = root.querySelector("[data-reset-open]");
  if (!dialog || !opener) return;
  const form = dialog.querySelector("[data-reset-form]");
  const message = root.querySelector("[data-reset-message]");
  opener.addEventListener("click", () => dialog.showModal());
  dialog.querySelector("[data-reset-cancel]").addEventListener("click", () => dialog.close());
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    dialog.close();
    let ok = false;
    let text = "";
    try {
      const response = await fetch(form.action, { method: "POST", body: new FormData(form),
        headers: { Accept: "application/json" } });
      ok = response.ok;
      text = (await response.json()).message;
    } catch (error) {
      text = String(error);
    }
    message.textContent = text;
    message.classList.toggle("error", !ok);
  });
}

// History from the datalogger (GET /api/v1/trends/): the insulation tab's 24-hour min, max and
// average, and the Monitoring tab's curves over the last hour ... year.
const historyCircuit = root.dataset.historyCircuit;

async function trend(code, seconds, points) {
  const end = new Date();
  const start = new Date(end.getTime() - seconds * 1000);
  const query = new URLSearchParams({ circuit: historyCircuit, quantity: code, start: toSiteISO(start),
    end: toSiteISO(end), points: String(points) });
  try {
    const response = await fetch(`/api/v1/trends/?${query}`, { headers: { Accept: "application/json" } });
    return response.ok ? await response.json() : null;
  } catch (error) {
    return null;
  }
}

async function loadStats(table) {
  for (const code of table.dataset.codes.split(",")) {
    const body = await trend(code, 86400, 1);
    const [, low, mean, high] = body?.points?.[0] ?? [];
    for (const [stat, value] of [["min", low], ["max", high], ["avg", mean]]) {
      const cell = table.querySelector(`[data-stat="${stat}:${code}"]`);
      if (cell) cell.textContent = format(code, value);
    }
  }
}

let historySpan = 86400;

async function loadHistory(panel) {
  const tools = panel.querySelector("[data-history]");
  const codes = tools.dataset.codes.split(",");
  const bodies = await Promise.all(codes.map((code) => trend(code, historySpan, 300)));
  const series = [];
  const units = [];
  const rows = new Map();
  bodies.forEach((body, n) => {
    if (!body) return;
    const unit = body.unit;
    if (!units.includes(unit)) units.push(unit);
    series.push({ name: quantities[codes[n]]?.label ?? codes[n], type: "line", showSymbol: false, code: codes[n],
      yAxisIndex: units.indexOf(unit), data: body.points.map(([time, , mean]) => [new Date(time).getTime(), mean]) });
    for (const [time, , mean] of body.points) {
      if (!rows.has(time)) rows.set(time, {});
      rows.get(time)[codes[n]] = mean;
    }
  });
  const element = panel.querySelector("[data-history-chart]");
  if (window.echarts && element) {
    const chart = chartOf(element);
    const codeOf = new Map(series.map((one) => [one.name, one.code]));
    const tick = historySpan <= 86400 ? (value) => formatTime(value, { seconds: false })
      : (value) => formatDate(value, { month: "short", day: "numeric" });
    chart.setOption({ animation: false, legend: legend(),
      // Drawn on the canvas (richText): ECharts' HTML tooltips carry style attributes, which the
      // strict CSP refuses.
      tooltip: { trigger: "axis", renderMode: "richText", confine: true, formatter: (items) => [formatDateTime(items[0].value[0]),
        ...items.map((item) => `${item.marker}${item.seriesName}: ${withUnit(codeOf.get(item.seriesName), item.value[1])}`)].join("\n") },
      grid: { left: 64, right: 64, top: LEGEND_BAND + 28, bottom: 36 },
      xAxis: { type: "time", axisLabel: { formatter: tick, hideOverlap: true } },
      yAxis: units.map((unit) => ({ type: "value", name: unit, scale: true, axisLabel: { formatter: formatAxis } })),
      series }, { notMerge: true });
    chart.resize();
  }
  const body = panel.querySelector("[data-history-rows]");
  body.replaceChildren(...[...rows.keys()].sort().reverse().map((time) => {
    const tr = document.createElement("tr");
    const when = document.createElement("td");
    when.textContent = timeText(time);
    tr.append(when);
    for (const code of codes) {
      const td = document.createElement("td");
      td.className = "number";
      td.textContent = format(code, rows.get(time)[code]);
      tr.append(td);
    }
    return tr;
  }));
  panel.dataset.historyLoaded = String(rows.size);
}

function setupHistory() {
  if (!historyCircuit) return;
  const refresh = () => {
    root.querySelectorAll(".tab-panel:not([hidden]) [data-stats]").forEach(loadStats);
    root.querySelectorAll(".tab-panel:not([hidden]) [data-history]").forEach((tools) => loadHistory(tools.closest(".tab-panel")));
  };
  root.querySelectorAll("[data-tab]").forEach((tab) => tab.addEventListener("click", refresh));
  root.querySelectorAll("[data-history-span]").forEach((button) => button.addEventListener("click", () => {
    historySpan = Number(button.dataset.historySpan);
    button.parentElement.querySelectorAll("[data-history-span]").forEach((other) => {
      other.setAttribute("aria-pressed", other === button ? "true" : "false");
    });
    loadHistory(button.closest(".tab-panel"));
  }));
  refresh();
  window.setInterval(refresh, 60_000);
}

setupTabs();
setupGateway();
setupReset();
setupHistory();
render();
window.addEventListener("load", renderCharts);
connect();
