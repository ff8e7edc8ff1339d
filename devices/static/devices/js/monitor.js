// Monitor page (§8.2): live values over /ws/live/ (DESIGN.md contract), updated in place.
// The server renders the page with the last cached payload; every message replaces it.

const root = document.querySelector("[data-monitor]");
const quantities = JSON.parse(document.getElementById("live-quantities").textContent);
let live = JSON.parse(document.getElementById("live-initial").textContent);
const deviceId = Number(root.dataset.device);
const circuitSelect = root.querySelector("[data-circuit]");
const lang = document.documentElement.lang;
const charts = new Map();

const DECIMALS = { V: 1, A: 2, Hz: 2, kW: 2, kvar: 2, kVA: 2, kWh: 1, kvarh: 1, kVAh: 1, "%": 1, mA: 1, "kΩ": 0, "µF": 2 };

export function format(code, value) {
  if (value === null || value === undefined) return "—";
  const quantity = quantities[code] ?? {};
  if (quantity.states) return quantity.states[String(Math.round(value))] ?? String(value);
  if (quantity.unit === "s") return duration(value);
  const digits = COUNTS.has(quantity.unit ?? "") && Number.isInteger(value) ? 0 : (DECIMALS[quantity.unit] ?? 3);
  return new Intl.NumberFormat(lang, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}

const COUNTS = new Set([""]); // counters without a unit (switchings, starts) are whole numbers

function duration(seconds) {
  // As the manual's Counters tab writes them: "14 d 8 h 12 m 32 s".
  let left = Math.max(0, Math.round(seconds));
  const parts = [];
  for (const [size, unit] of [[86400, "d"], [3600, "h"], [60, "m"]]) {
    if (left >= size || parts.length) parts.push(`${Math.floor(left / size)} ${unit}`);
    left %= size;
  }
  parts.push(`${left} s`);
  return parts.join(" ");
}

function timeText(timestamp) {
  return timestamp
    ? new Intl.DateTimeFormat(lang, { dateStyle: "short", timeStyle: "medium" }).format(new Date(timestamp))
    : root.dataset.textNever;
}

function currentValues() {
  const index = Number(circuitSelect?.value ?? live.circuits[0]?.index ?? 1);
  return (live.circuits.find((circuit) => circuit.index === index) ?? live.circuits[0] ?? { values: {} }).values;
}

function renderStatus() {
  const badge = root.querySelector("[data-status]");
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

function renderValues() {
  const values = currentValues();
  root.querySelectorAll("[data-value]").forEach((cell) => showText(cell, format(cell.dataset.value, values[cell.dataset.value])));
  // Tabs listing every circuit (F-60 Circuits): "index:code" cells, and the time of the values.
  const byIndex = new Map(live.circuits.map((circuit) => [circuit.index, circuit.values]));
  root.querySelectorAll("[data-circuit-value]").forEach((cell) => {
    const [index, code] = cell.dataset.circuitValue.split(":");
    showText(cell, format(code, byIndex.get(Number(index))?.[code]));
  });
  const stamp = live.status === "online" ? timeText(live.timestamp) : "—";
  root.querySelectorAll("[data-circuit-time]").forEach((time) => { time.textContent = stamp; });
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

const PHASE_ANGLE = { 1: 90, 2: -30, 3: 210 };

function phasorOption(values) {
  // Voltages 120° apart; each current lags its voltage by φ = acos(PF). Lengths are relative.
  const maxV = Math.max(...[1, 2, 3].map((p) => values[`V${p}`] ?? 0), 1);
  const maxI = Math.max(...[1, 2, 3].map((p) => values[`I${p}`] ?? 0), 1e-9);
  const series = [];
  for (const phase of [1, 2, 3]) {
    const phi = (Math.acos(Math.max(-1, Math.min(1, values[`PF${phase}`] ?? values.PF ?? 1))) * 180) / Math.PI;
    if (values[`V${phase}`] !== undefined) {
      series.push({ name: `V${phase}`, type: "line", coordinateSystem: "polar", symbol: "arrow", symbolSize: 10,
        data: [[0, PHASE_ANGLE[phase]], [(100 * values[`V${phase}`]) / maxV, PHASE_ANGLE[phase]]] });
    }
    if (values[`I${phase}`] !== undefined) {
      series.push({ name: `I${phase}`, type: "line", coordinateSystem: "polar", symbol: "arrow", symbolSize: 8,
        lineStyle: { type: "dashed" },
        data: [[0, PHASE_ANGLE[phase] - phi], [(70 * values[`I${phase}`]) / maxI, PHASE_ANGLE[phase] - phi]] });
    }
  }
  return { legend: {}, polar: {}, animation: false,
    angleAxis: { type: "value", min: 0, max: 360, startAngle: 0, clockwise: false, axisLabel: { show: false } },
    radiusAxis: { min: 0, max: 100, axisLabel: { show: false } }, series };
}

const COLORS = ["#118aaa", "#e0a100", "#7b5ea7", "#2e7d32"];

function barsOption(codes, values) {
  // One value axis per unit (V and A side by side would flatten the currents).
  const shown = codes.filter((code) => values[code] !== undefined && values[code] !== null);
  const units = [...new Set(shown.map((code) => quantities[code]?.unit ?? ""))].slice(0, 2);
  return { animation: false, grid: { left: 60, right: 60, bottom: 40, top: 30 }, tooltip: {}, legend: {},
    xAxis: { type: "category", data: shown },
    yAxis: units.map((unit) => ({ type: "value", name: unit })),
    series: units.map((unit, axis) => ({
      name: unit, type: "bar", yAxisIndex: axis, stack: "values", itemStyle: { color: COLORS[axis] },
      data: shown.map((code) => ((quantities[code]?.unit ?? "") === unit ? values[code] : null)),
    })) };
}

function harmonicsOption(prefix, values) {
  const orders = Array.from({ length: 62 }, (_, i) => i + 2);
  const series = [1, 2, 3]
    .filter((phase) => values[`${prefix}${phase}_2`] !== undefined)
    .map((phase) => ({ name: `${prefix.slice(2, 3)}${phase}`, type: "bar",
      data: orders.map((order) => values[`${prefix}${phase}_${order}`] ?? null) }));
  return { animation: false, legend: {}, tooltip: { trigger: "axis" }, grid: { left: 50, right: 20, bottom: 40 },
    xAxis: { type: "category", data: orders }, yAxis: { type: "value", name: "%" }, series };
}

function chartOption(element, values) {
  switch (element.dataset.chart) {
    case "phasor": return phasorOption(values);
    case "harmonics_v": return harmonicsOption("H_V", values);
    case "harmonics_i": return harmonicsOption("H_I", values);
    default: return barsOption(element.dataset.codes.split(","), values);
  }
}

function renderCharts() {
  if (!window.echarts) return;
  const values = currentValues();
  root.querySelectorAll(".tab-panel:not([hidden]).show-chart [data-chart]").forEach((element) => {
    let chart = charts.get(element);
    if (!chart) {
      chart = window.echarts.init(element, null, { locale: lang === "fr" ? "FR" : "EN" });
      charts.set(element, chart);
    }
    chart.setOption(chartOption(element, values), { notMerge: true });
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
    socket.send(JSON.stringify({ subscribe: [deviceId] }));
  });
  socket.addEventListener("message", (event) => {
    const message = JSON.parse(event.data);
    if (message.device === deviceId) {
      live = message;
      render();
    }
  });
  socket.addEventListener("close", () => {
    banner.hidden = false;
    // Back off to 10 s between attempts; the page itself is never reloaded.
    setTimeout(() => connect(attempt + 1), Math.min(10000, 500 * 2 ** attempt));
  });
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
  const query = new URLSearchParams({ circuit: historyCircuit, quantity: code, start: start.toISOString(),
    end: end.toISOString(), points: String(points) });
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
    series.push({ name: quantities[codes[n]]?.label ?? codes[n], type: "line", showSymbol: false,
      yAxisIndex: units.indexOf(unit), data: body.points.map(([time, , mean]) => [time, mean]) });
    for (const [time, , mean] of body.points) {
      if (!rows.has(time)) rows.set(time, {});
      rows.get(time)[codes[n]] = mean;
    }
  });
  const element = panel.querySelector("[data-history-chart]");
  if (window.echarts && element) {
    let chart = charts.get(element);
    if (!chart) {
      chart = window.echarts.init(element, null, { locale: lang === "fr" ? "FR" : "EN" });
      charts.set(element, chart);
    }
    chart.setOption({ animation: false, legend: {}, tooltip: { trigger: "axis" }, grid: { left: 60, right: 60, bottom: 40 },
      xAxis: { type: "time" }, yAxis: units.map((unit) => ({ type: "value", name: unit, scale: true })), series },
    { notMerge: true });
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
setupReset();
setupHistory();
render();
window.addEventListener("load", renderCharts);
connect();
