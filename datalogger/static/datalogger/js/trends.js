// Trends (§8.6): curves chosen from one or several circuits, drawn over the time period of the
// left pane from GET /api/v1/trends/ (the server reduces them to at most POINTS buckets).
// The selection and the rendering options survive moving from circuit to circuit (localStorage);
// favourites (§7.4) keep them on the server, per profile.

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
const number = new Intl.NumberFormat(lang, { maximumFractionDigits: 3 });
const timeFormat = new Intl.DateTimeFormat(lang, { dateStyle: "short", timeStyle: "short" });

async function fetchCurve(curve) {
  const query = new URLSearchParams({ circuit: curve.circuit, quantity: curve.quantity, start: period.start,
    end: period.end, points: String(POINTS) });
  const response = await fetch(`/api/v1/trends/?${query}`, { headers: { Accept: "application/json" } });
  if (!response.ok) return null;
  const body = await response.json();
  return { ...curve, name: `${body.circuit_name} : ${body.label}`, unit: body.unit, points: body.points };
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
    name.textContent = `${curve.name}${curve.unit ? ` (${curve.unit})` : ""}`;
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

function chartOption() {
  const units = [...new Set(curves.map((curve) => curve.unit))];
  const stacked = options.mode === "stacked";
  const axisCount = stacked ? units.length : 1;
  const height = 100 / Math.max(axisCount, 1);
  const grids = Array.from({ length: axisCount }, (_, n) => (stacked
    ? { left: 70, right: 30, top: `${n * height + 4}%`, height: `${height - 12}%` }
    : { left: 70, right: 30 + 60 * Math.max(0, units.length - 1), top: 40, bottom: 70 }));
  const xAxes = grids.map((_, n) => ({ type: "time", gridIndex: n, axisLabel: { show: !stacked || n === axisCount - 1 } }));
  const yAxes = units.map((unit, n) => ({
    type: "value", name: unit, scale: options.auto_scale, gridIndex: stacked ? n : 0,
    position: stacked || n === 0 ? "left" : "right", offset: stacked || n === 0 ? 0 : 60 * (n - 1),
  }));
  const series = curves.map((curve) => ({
    name: curve.name, type: "line", showSymbol: false, connectNulls: false,
    xAxisIndex: stacked ? units.indexOf(curve.unit) : 0, yAxisIndex: units.indexOf(curve.unit),
    data: curve.points.map(([time, , mean]) => [time, mean]),
  }));
  const every = xAxes.map((_, n) => n);
  return {
    animation: false, grid: grids, xAxis: xAxes, yAxis: yAxes, series,
    legend: { type: "scroll", top: 0, selected: Object.fromEntries(curves.map((c) => [c.name, !hidden.has(c.name)])) },
    tooltip: { trigger: "axis" }, axisPointer: { link: [{ xAxisIndex: "all" }] },
    dataZoom: [{ type: "inside", xAxisIndex: every }, { type: "slider", xAxisIndex: every, bottom: 10 }],
  };
}

function draw() {
  const hasData = curves.some((curve) => curve.points.length);
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
      chart.on("datazoom", renderTable);
      window.addEventListener("resize", () => chart.resize());
    }
    chart.setOption(chartOption(), { notMerge: true });
    chart.resize();
  }
  chartElement.dataset.curves = String(curves.filter((curve) => curve.points.length).length);
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
  // What is shown: the curves not hidden, the buckets inside the zoom window.
  const shown = curves.filter((curve) => !hidden.has(curve.name));
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
  for (const text of [root.dataset.textTime, ...shown.map((c) => `${c.name}${c.unit ? ` (${c.unit})` : ""}`)]) {
    const th = document.createElement("th");
    th.textContent = text;
    head.append(th);
  }
  table.tHead.replaceChildren(head);
  table.tBodies[0].replaceChildren(...rows.map(([time, values]) => {
    const tr = document.createElement("tr");
    const when = document.createElement("td");
    when.textContent = timeFormat.format(new Date(time));
    tr.append(when, ...values.map((value) => {
      const td = document.createElement("td");
      td.textContent = value === null ? "—" : number.format(value);
      return td;
    }));
    return tr;
  }));
}

function exportCsv() {
  // The data shown, as a file: ISO time, then one column per curve (dot decimals, ";" between).
  const { shown, rows } = shownRows();
  const quote = (text) => `"${String(text).replaceAll('"', '""')}"`;
  const lines = [["time", ...shown.map((c) => `${c.name}${c.unit ? ` (${c.unit})` : ""}`)].map(quote).join(";")];
  for (const [time, values] of rows) lines.push([time, ...values.map((v) => (v === null ? "" : String(v)))].join(";"));
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
      name: data.get("name"), title: data.get("title"), selection, options }) });
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
