// One clock: the site's. Every time the UI shows, sends or parses is in the site's zone
// (settings.TIME_ZONE, from WEBVIEW_TIME_ZONE, on <html data-time-zone>), whatever the browser's
// zone. Dates travel as instants (Date, epoch ms, ISO-8601 with an offset); calendar arithmetic
// (start of a day, a week, a month; adding days across a DST change) is done on the site's wall
// clock, then turned back into an instant.

export const SITE_ZONE = document.documentElement.dataset.timeZone || "UTC";

const locale = () => document.documentElement.lang || undefined;

const formats = new Map();
function formatter(options) {
  const key = JSON.stringify([locale(), options]);
  if (!formats.has(key)) formats.set(key, new Intl.DateTimeFormat(locale(), { timeZone: SITE_ZONE, ...options }));
  return formats.get(key);
}

// Wall-clock fields in the site's zone, read in a fixed locale so they parse as numbers.
const partsFormat = new Intl.DateTimeFormat("en-US", {
  timeZone: SITE_ZONE, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
  hour: "2-digit", minute: "2-digit", second: "2-digit", weekday: "short",
});
const WEEKDAYS = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** A Date from an ISO-8601 string (with offset), a Date or epoch milliseconds; null if invalid. */
export function toDate(value) {
  if (value === null || value === undefined || value === "") return null;
  const date = value instanceof Date ? new Date(value.getTime()) : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** {year, month (1-12), day, hour, minute, second, weekday (1 = Monday … 7 = Sunday)} on the site's clock. */
export function siteParts(value) {
  const date = toDate(value);
  if (!date) return null;
  const parts = {};
  for (const { type, value: text } of partsFormat.formatToParts(date)) parts[type] = text;
  return {
    year: Number(parts.year), month: Number(parts.month), day: Number(parts.day),
    hour: Number(parts.hour) % 24, minute: Number(parts.minute), second: Number(parts.second),
    weekday: WEEKDAYS[parts.weekday],
  };
}

/** The site's offset from UTC at this instant, in minutes (Europe/Paris: 60 in winter, 120 in summer). */
export function siteOffsetMinutes(value) {
  const date = toDate(value);
  const p = siteParts(date);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((wall - Math.floor(date.getTime() / 1000) * 1000) / 60000);
}

/**
 * The instant at which the site's clock reads this wall time. Fields overflow as in Date.UTC
 * (day 0 is the last day of the previous month). A time skipped by a spring DST change resolves
 * to the instant after the gap; a repeated autumn hour to its first occurrence.
 */
export function fromSiteWallTime(year, month, day = 1, hour = 0, minute = 0, second = 0) {
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  // Zone offsets change at most twice a year: the offsets a day before and a day after give
  // every instant this wall time can name.
  const reads = (t) => {
    const p = siteParts(t);
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) === wall;
  };
  const before = wall - siteOffsetMinutes(wall - 86400000) * 60000;
  const after = wall - siteOffsetMinutes(wall + 86400000) * 60000;
  const good = [before, after].filter(reads).sort((a, b) => a - b);
  // In a spring gap neither reads it: the offset before the change lands after the gap.
  return new Date(good.length ? good[0] : before);
}

/** Midnight of this instant's day on the site's clock. */
export function startOfDay(value) {
  const p = siteParts(value);
  return fromSiteWallTime(p.year, p.month, p.day);
}

/** Midnight of the Monday of this instant's week on the site's clock (ISO weeks start on Monday). */
export function startOfWeek(value) {
  const p = siteParts(value);
  return fromSiteWallTime(p.year, p.month, p.day - (p.weekday - 1));
}

/** Midnight of the first day of this instant's month on the site's clock. */
export function startOfMonth(value) {
  const p = siteParts(value);
  return fromSiteWallTime(p.year, p.month, 1);
}

/** Midnight of the 1st of January of this instant's year on the site's clock. */
export function startOfYear(value) {
  const p = siteParts(value);
  return fromSiteWallTime(p.year, 1, 1);
}

/** The same wall time `n` calendar days later on the site's clock: a day across a DST change lasts 23 or 25 hours. */
export function addDays(value, n) {
  const p = siteParts(value);
  return fromSiteWallTime(p.year, p.month, p.day + n, p.hour, p.minute, p.second);
}

/** The same wall time `n` months later on the site's clock (used on month starts). */
export function addMonths(value, n) {
  const p = siteParts(value);
  return fromSiteWallTime(p.year, p.month + n, p.day, p.hour, p.minute, p.second);
}

/** ISO-8601 with the site's offset, "2026-03-29T00:00:00+01:00": what the UI sends to the API. */
export function toSiteISO(value) {
  const date = toDate(value);
  if (!date) return "";
  const p = siteParts(date);
  const offset = siteOffsetMinutes(date);
  const pad = (n, width = 2) => String(Math.abs(n)).padStart(width, "0");
  const sign = offset < 0 ? "-" : "+";
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`
    + `${sign}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`;
}

/** "YYYY-MM-DDTHH:MM" of a datetime-local input, on the site's clock. */
export function toSiteInput(value) {
  const iso = toSiteISO(value);
  return iso ? iso.slice(0, 16) : "";
}

/** The instant a datetime-local input's "YYYY-MM-DDTHH:MM" names on the site's clock; null if invalid. */
export function parseSiteInput(text) {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(text ?? "");
  if (!match) return null;
  const [year, month, day, hour = 0, minute = 0, second = 0] = match.slice(1).map((n) => Number(n ?? 0));
  const date = fromSiteWallTime(year, month, day, hour, minute, second);
  // A wall time that does not exist (2026-02-30) comes back shifted: refuse it.
  const p = siteParts(date);
  return p.year === year && p.month === month && p.day === day ? date : null;
}

/** The site zone's short name at this instant ("UTC+1", "CEST", "GMT+2", as the locale names it). */
export function zoneLabel(value = Date.now()) {
  const date = toDate(value) ?? new Date();
  return formatter({ timeZoneName: "short" }).formatToParts(date).find((part) => part.type === "timeZoneName")?.value ?? SITE_ZONE;
}

function render(value, options, extra) {
  const date = toDate(value);
  if (!date) return "—";
  return formatter({ ...options, ...(extra?.zone ? { timeZoneName: "short" } : {}) }).format(date);
}

/** Date and time on the site's clock in the page's locale; `{zone: true}` adds the zone's name. */
export function formatDateTime(value, options = {}) {
  const { zone, seconds, ...rest } = options;
  const style = Object.keys(rest).length ? rest : {
    year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit",
    ...(seconds ? { second: "2-digit" } : {}),
  };
  return render(value, style, { zone });
}

/** Time of day on the site's clock ("14:05:09"); `{zone: true}` adds the zone's name. */
export function formatTime(value, options = {}) {
  const { zone, seconds = true } = options;
  return render(value, { hour: "2-digit", minute: "2-digit", ...(seconds ? { second: "2-digit" } : {}) }, { zone });
}

/** Calendar date on the site's clock ("29 Mar 2026"). */
export function formatDate(value, options = {}) {
  const { zone, ...rest } = options;
  const style = Object.keys(rest).length ? rest : { year: "numeric", month: "short", day: "numeric" };
  return render(value, style, { zone });
}
