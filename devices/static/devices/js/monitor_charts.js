// The ECharts options of the Monitor's live charts (monitor.js draws them): phasors, bars grouped
// by what compares, harmonics. ``page`` gives the device's quantities (unit, decimals), withUnit
// (a value with its unit) and the page's words.

import { formatAxis, formatQuantity } from "../../webview/js/numbers.js";

const PHASE_ANGLE = { 1: 90, 2: -30, 3: 210 };

// Legends sit in a band of their own above the plot (LEGEND_BAND px), scrolled rather than
// wrapped on a narrow screen, so that they never cover an axis name or label.
export const LEGEND_BAND = 36;

export function legend(extra = {}) {
  return { type: "scroll", top: 0, left: "center", itemHeight: 10, textStyle: { fontSize: 12 }, ...extra };
}

function phasorOption(values, page) {
  const { withUnit } = page;
  // Voltages 120° apart; each current lags its voltage by φ = acos(PF). Lengths are relative.
  const maxV = Math.max(...[1, 2, 3].map((p) => values[`V${p}`] ?? 0), 1);
  const maxI = Math.max(...[1, 2, 3].map((p) => values[`I${p}`] ?? 0), 1e-9);
  const series = [];
  for (const phase of [1, 2, 3]) {
    const phi = (Math.acos(Math.max(-1, Math.min(1, values[`PF${phase}`] ?? values.PF ?? 1))) * 180) / Math.PI;
    if (values[`V${phase}`] !== undefined && values[`V${phase}`] !== null) {
      series.push({ name: `V${phase}`, type: "line", coordinateSystem: "polar", symbol: "arrow", symbolSize: 10,
        tooltip: { renderMode: "richText", formatter: () => `V${phase}: ${withUnit(`V${phase}`, values[`V${phase}`])}` },
        data: [[0, PHASE_ANGLE[phase]], [(100 * values[`V${phase}`]) / maxV, PHASE_ANGLE[phase]]] });
    }
    if (values[`I${phase}`] !== undefined && values[`I${phase}`] !== null) {
      series.push({ name: `I${phase}`, type: "line", coordinateSystem: "polar", symbol: "arrow", symbolSize: 8,
        lineStyle: { type: "dashed" }, tooltip: { renderMode: "richText", formatter: () => `I${phase}: ${withUnit(`I${phase}`, values[`I${phase}`])}` },
        data: [[0, PHASE_ANGLE[phase] - phi], [(70 * values[`I${phase}`]) / maxI, PHASE_ANGLE[phase] - phi]] });
    }
  }
  return { legend: legend(), polar: { center: ["50%", "55%"], radius: "70%" }, animation: false, tooltip: { renderMode: "richText" },
    angleAxis: { type: "value", min: 0, max: 360, startAngle: 0, clockwise: false, axisLabel: { show: false } },
    radiusAxis: { min: 0, max: 100, axisLabel: { show: false } }, series };
}

// Bars share an axis only where their values compare: powers (kW, kvar, kVA) on one scale, so
// that 95 kvar stands lower than 211 kW; factors (PF, cos φ, tan φ), voltages, currents each on
// their own plot, one above the other.
const DIMENSIONS = { kW: "power", kvar: "power", kVA: "power", "": "factor" };
const KIND_COLORS = { P: "#118aaa", Q: "#e0a100", S: "#7b5ea7", PF: "#2e7d32", COSPHI: "#2e7d32", TANPHI: "#8d6e63",
  V: "#118aaa", U: "#0b5f75", I: "#e0a100", IN: "#b26a00", SRC1_V: "#118aaa", SRC2_V: "#7b5ea7", SRC1_F: "#118aaa",
  SRC2_F: "#7b5ea7" };

function kindOf(code) {
  return code.startsWith("SRC") ? code : code.replace(/\d+$/, "").replace(/^U\d*$/, "U");
}

function categoryLabel(code) {
  return code.replace(/^COSPHI/, "cos φ").replace(/^TANPHI/, "tan φ");
}

function barsOption(codes, values, page) {
  const { quantities, withUnit, texts } = page;
  const shown = codes.filter((code) => quantities[code]);
  const groups = [];
  for (const code of shown) {
    const unit = quantities[code].unit ?? "";
    const dimension = DIMENSIONS[unit] ?? unit;
    let group = groups.find((one) => one.dimension === dimension);
    if (!group) groups.push(group = { dimension, units: [], codes: [] });
    if (!group.units.includes(unit)) group.units.push(unit);
    group.codes.push(code);
  }
  const averages = shown.some((code) => quantities[`AVG_${code}`]);
  const gap = 56;
  const height = Math.max(160, 260 - 40 * (groups.length - 1));
  const grid = groups.map((group, n) => ({ left: 64, right: 24, top: LEGEND_BAND + 28 + n * (height + gap), height,
    containLabel: false }));
  const xAxis = groups.map((group, n) => ({ type: "category", gridIndex: n, data: group.codes.map(categoryLabel),
    axisLabel: { interval: 0, hideOverlap: true, fontSize: 11 } }));
  const yAxis = groups.map((group, n) => ({ type: "value", gridIndex: n, name: group.units.filter(Boolean).join(" · "),
    nameTextStyle: { align: "left", padding: [0, 0, 0, -56] }, axisLabel: { formatter: formatAxis } }));
  const series = [];
  groups.forEach((group, n) => {
    const bar = (name, prefix, opacity) => ({
      // The series' own grey is the legend's key (solid: instantaneous, pale: average); each bar
      // keeps the colour of its kind (P, Q, S, PF...).
      name, type: "bar", xAxisIndex: n, yAxisIndex: n, barMaxWidth: 36, itemStyle: { color: "#5f6b7a", opacity },
      data: group.codes.map((code) => ({ value: values[prefix + code] ?? null, code: prefix + code,
        itemStyle: { color: KIND_COLORS[kindOf(code)] ?? "#118aaa", opacity } })),
    });
    series.push(bar(texts.instantaneous, "", 1));
    if (averages) series.push(bar(texts.average, "AVG_", 0.45));
  });
  return { animation: false, grid, xAxis, yAxis, series,
    legend: averages ? legend({ data: [texts.instantaneous, texts.average] }) : { show: false },
    tooltip: { trigger: "item", renderMode: "richText", formatter: (item) => `${categoryLabel(item.data.code)} · ${item.seriesName}\n${withUnit(item.data.code, item.data.value)}` },
    chartHeight: LEGEND_BAND + 28 + groups.length * height + (groups.length - 1) * gap + 40 };
}

function harmonicsOption(prefix, values, page) {
  const { quantities } = page;
  // The orders the device's map reads (a B-30 to the 25th, an A-40 to the 63rd).
  const orders = Array.from({ length: 62 }, (_, i) => i + 2)
    .filter((order) => [1, 2, 3].some((phase) => quantities[`${prefix}${phase}_${order}`]));
  const series = [1, 2, 3]
    .filter((phase) => values[`${prefix}${phase}_2`] !== undefined)
    .map((phase) => ({ name: `${prefix.slice(2, 3)}${phase}`, type: "bar",
      data: orders.map((order) => values[`${prefix}${phase}_${order}`] ?? null) }));
  return { animation: false, legend: legend(), grid: { left: 56, right: 20, top: LEGEND_BAND + 28, bottom: 32 },
    tooltip: { trigger: "axis", renderMode: "richText", valueFormatter: (value) => formatQuantity(value, "%", 1) },
    xAxis: { type: "category", data: orders }, yAxis: { type: "value", name: "%", axisLabel: { formatter: formatAxis } },
    series };
}

export function chartOption(element, values, page) {
  switch (element.dataset.chart) {
    case "phasor": return phasorOption(values, page);
    case "harmonics_v": return harmonicsOption("H_V", values, page);
    case "harmonics_i": return harmonicsOption("H_I", values, page);
    default: return barsOption(element.dataset.codes.split(","), values, page);
  }
}

