// Numbers as every page writes them: the page's locale (<html lang>), a fixed number of decimals
// per quantity (devices/catalogue/precision.yaml, passed by the page), the unit after a no-break
// space. One module, so that a value reads the same in a table, a chart label and a tooltip.

const formatters = new Map();

function locale() {
  return document.documentElement.lang || navigator.language || "en";
}

function formatter(decimals) {
  const key = `${locale()}|${decimals}`;
  if (!formatters.has(key)) {
    formatters.set(key, new Intl.NumberFormat(locale(), {
      minimumFractionDigits: decimals, maximumFractionDigits: decimals,
    }));
  }
  return formatters.get(key);
}

export const MISSING = "—";

export function formatNumber(value, decimals = 2) {
  if (value === null || value === undefined || value === "") return MISSING;
  const number = typeof value === "number" ? value : Number(value);
  if (!Number.isFinite(number)) return MISSING;
  const digits = Number.isInteger(decimals) && decimals >= 0 && decimals <= 20 ? decimals : 2;
  // -0.00 reads as a sign without a value.
  const text = formatter(digits).format(number);
  return Object.is(Number(number.toFixed(digits)), -0) ? formatter(digits).format(0) : text;
}

export function formatQuantity(value, unit, decimals = 2) {
  const text = formatNumber(value, decimals);
  if (text === MISSING || !unit) return text;
  return `${text}\u00a0${unit}`;
}

// Chart axes: the tick's own digits (ECharts picks round ticks), in the page's locale.
export function formatAxis(value) {
  if (value === null || value === undefined || !Number.isFinite(Number(value))) return "";
  const key = `${locale()}|axis`;
  if (!formatters.has(key)) formatters.set(key, new Intl.NumberFormat(locale(), { maximumFractionDigits: 3 }));
  return formatters.get(key).format(Number(value));
}
