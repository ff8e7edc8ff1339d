// Page frame behaviour: top bar show/hide (§7.5), left pane open/close/pin (§7.1),
// Organisation (§7.2) and Time period (§7.3) components. Later menus listen to the
// "webview:organisation" and "webview:period" events dispatched on document. Every time here is
// on the site's clock (time.js), whatever the browser's zone.

import {
  addDays, addMonths, formatDateTime, parseSiteInput, startOfDay, startOfMonth, startOfWeek, startOfYear,
  toSiteISO, toSiteInput,
} from "./time.js";

const store = {
  get(key, fallback) {
    try { return localStorage.getItem(`webview.${key}`) ?? fallback; } catch { return fallback; }
  },
  set(key, value) {
    try { localStorage.setItem(`webview.${key}`, value); } catch { /* private mode: state stays per page */ }
  },
};

function setupTopBar() {
  const apply = (hidden) => {
    document.body.classList.toggle("topbar-hidden", hidden);
    document.querySelectorAll(".topbar-reveal").forEach((el) => { el.hidden = !hidden; });
  };
  apply(store.get("topbar.hidden", "0") === "1");
  document.querySelectorAll("[data-topbar-toggle]").forEach((button) => {
    button.addEventListener("click", () => {
      const hidden = !document.body.classList.contains("topbar-hidden");
      store.set("topbar.hidden", hidden ? "1" : "0");
      apply(hidden);
    });
  });
}

function setupLeftPane() {
  const pane = document.querySelector("[data-left-pane]");
  if (!pane) return;
  const pin = pane.querySelector("[data-pane-pin]");
  const pinned = () => store.get("pane.pinned", "1") === "1";
  const setOpen = (open) => document.body.classList.toggle("pane-closed", !open);
  const showPin = () => pin.setAttribute("aria-pressed", pinned() ? "true" : "false");
  // A pinned pane stays open from page to page; an unpinned one opens on demand. On a tablet
  // the pane lies over the page (webview.css), so it opens on demand there, pinned or not.
  const narrow = window.matchMedia("(max-width: 1024px)");
  setOpen(pinned() && !narrow.matches);
  showPin();
  document.querySelector("[data-pane-open]")?.addEventListener("click", () => setOpen(true));
  pane.querySelector("[data-pane-close]").addEventListener("click", () => {
    if (!narrow.matches) store.set("pane.pinned", "0");
    showPin();
    setOpen(false);
  });
  pin.addEventListener("click", () => {
    store.set("pane.pinned", pinned() ? "0" : "1");
    showPin();
  });
}

// §7.2: the server renders the Navigation tree of the URL's ?view=; the View select reloads the
// page with its choice (period parameters kept), remembered per menu for the next visit.
function setupOrganisation() {
  const section = document.querySelector("[data-organisation]");
  if (!section) return;
  const view = section.querySelector("[data-organisation-view]");
  const filter = section.querySelector("[data-organisation-filter]");
  const tree = section.querySelector("[data-navigation-tree]");
  const nothing = section.querySelector("[data-tree-empty]");
  const menu = document.querySelector("[data-menu]")?.dataset.menu ?? "page";
  const modes = [...view.options].map((option) => option.value);
  const showView = (value) => {
    const url = new URL(location.href);
    url.searchParams.set("view", value);
    location.assign(url);
  };
  // A visit without ?view= opens the view chosen last time on this menu.
  const remembered = store.get(`${menu}.view`, view.value);
  if (!new URLSearchParams(location.search).has("view") && remembered !== view.value && modes.includes(remembered)) {
    const url = new URL(location.href);
    url.searchParams.set("view", remembered);
    location.replace(url);
    return;
  }

  const setExpanded = (item, expanded) => {
    item.setAttribute("aria-expanded", expanded ? "true" : "false");
    item.classList.toggle("tree-collapsed", !expanded);
  };
  tree?.querySelectorAll("[data-tree-toggle]").forEach((button) => {
    button.addEventListener("click", () => {
      const item = button.closest("[data-tree-item]");
      setExpanded(item, item.getAttribute("aria-expanded") !== "true");
    });
  });

  const children = (item) => [...(item.querySelector(":scope > [role=group]")?.children ?? [])];
  // An item stays visible when it, one of its ancestors or one of its descendants matches; a
  // parent with a matching descendant opens to show it.
  const applyFilter = (item, text, ancestorMatches) => {
    const matches = ancestorMatches || item.dataset.search.toLowerCase().includes(text);
    const childShown = children(item).map((child) => applyFilter(child, text, matches)).some(Boolean);
    item.hidden = !(matches || childShown);
    if (text !== "" && childShown) setExpanded(item, true);
    return !item.hidden;
  };
  const emit = () => {
    const text = filter.value.trim().toLowerCase();
    if (tree) {
      const shown = [...tree.children].map((item) => applyFilter(item, text, text === "")).some(Boolean);
      nothing.hidden = shown;
    }
    document.dispatchEvent(new CustomEvent("webview:organisation", { detail: { view: view.value, filter: text } }));
  };
  view.addEventListener("change", () => { store.set(`${menu}.view`, view.value); showView(view.value); });
  filter.addEventListener("input", emit);
}

// Bounds of a predefined period (§7.3) on the site's calendar, as [start, end) Dates: the
// server buckets consumption by the site's days, so a browser in another zone must not shift
// them (a "Last week" of 8 bars, weekday labels one day off).
export function periodBounds(period, now = new Date()) {
  const day = startOfDay(now);
  const monday = startOfWeek(now);
  const month = startOfMonth(now);
  const year = startOfYear(now);
  switch (period) {
    case "today": return [day, addDays(day, 1)];
    case "yesterday": return [addDays(day, -1), day];
    case "this_week": return [monday, addDays(monday, 7)];
    case "last_week": return [addDays(monday, -7), monday];
    case "this_month": return [month, addMonths(month, 1)];
    case "last_month": return [addMonths(month, -1), month];
    case "this_year": return [year, addMonths(year, 12)];
    case "last_year": return [addMonths(year, -12), year];
    default: return null;
  }
}

function setupTimePeriod() {
  const section = document.querySelector("[data-time-period]");
  if (!section) return;
  const select = section.querySelector("[data-period-select]");
  const custom = section.querySelector("[data-custom-dates]");
  const startInput = section.querySelector("[data-period-start]");
  const endInput = section.querySelector("[data-period-end]");
  const error = section.querySelector("[data-period-error]");
  const auto = section.querySelector("[data-period-auto]");
  const step = section.querySelector("[data-period-step]");
  const resolution = section.querySelector("[data-resolution-field]");
  const summary = section.querySelector("[data-period-summary]");
  const params = new URLSearchParams(location.search);
  if (params.get("period")) select.value = params.get("period");
  // A custom period in the URL (a link, a favourite): its bounds as ISO instants.
  if (params.get("start") && params.get("end")) {
    startInput.value = toSiteInput(params.get("start"));
    endInput.value = toSiteInput(params.get("end"));
  }

  const emit = () => {
    custom.hidden = select.value !== "custom";
    if (resolution) resolution.hidden = auto.checked;
    let bounds = periodBounds(select.value);
    if (select.value === "custom") {
      // The dates typed are read on the site's clock, as everything the user sees.
      const start = parseSiteInput(startInput.value);
      const end = parseSiteInput(endInput.value);
      const valid = start && end && end > start;
      error.hidden = !(startInput.value && endInput.value) || valid;
      bounds = valid ? [start, end] : null;
    } else if (bounds) {
      // Switching to Custom starts from the period shown.
      startInput.value = toSiteInput(bounds[0]);
      endInput.value = toSiteInput(bounds[1]);
    }
    if (!bounds) { summary.textContent = ""; return; }
    summary.textContent = `${formatDateTime(bounds[0])} → ${formatDateTime(bounds[1])}`;
    const url = new URL(location.href);
    url.searchParams.set("period", select.value);
    if (select.value === "custom") {
      url.searchParams.set("start", toSiteISO(bounds[0]));
      url.searchParams.set("end", toSiteISO(bounds[1]));
    } else {
      url.searchParams.delete("start");
      url.searchParams.delete("end");
    }
    history.replaceState(null, "", url);
    document.dispatchEvent(new CustomEvent("webview:period", {
      detail: {
        period: select.value,
        start: toSiteISO(bounds[0]),
        end: toSiteISO(bounds[1]),
        step: auto && !auto.checked ? step.value : "auto",
      },
    }));
  };
  [select, startInput, endInput, auto, step].forEach((el) => el?.addEventListener("change", emit));
  // Another module (a Trends favourite) sets the period: {period, start?, end?} in the detail.
  document.addEventListener("webview:set-period", (event) => {
    const { period, start, end } = event.detail ?? {};
    if (![...select.options].some((option) => option.value === period)) return;
    select.value = period;
    if (period === "custom" && start && end) {
      startInput.value = toSiteInput(start);
      endInput.value = toSiteInput(end);
    }
    emit();
  });
  emit();
}

function setupLoginLanguage() {
  const form = document.querySelector("[data-login-form]");
  const language = form?.querySelector("select[name=language]");
  if (!language) return;
  // Switch the sign-in page itself to the chosen language (§6.1) without a reload: a reload
  // cleared the profile and the password, so "Sign in" then signed in as User without a word.
  // The page in the new language is fetched and laid in place with the choices carried over.
  language.addEventListener("change", async () => {
    const url = new URL(location.href);
    url.searchParams.set("language", language.value);
    let response;
    try {
      response = await fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } });
    } catch {
      return; // offline: the page stays as it is, and the form still signs in in the chosen language
    }
    if (!response.ok) return;
    const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
    const freshForm = fresh.querySelector("[data-login-form]");
    if (!freshForm) return;
    for (const field of form.elements) {
      const twin = field.name && field.type !== "hidden" ? freshForm.elements.namedItem(field.name) : null;
      if (twin) twin.value = field.value;
    }
    document.title = fresh.title;
    document.documentElement.lang = fresh.documentElement.lang;
    document.body.replaceWith(document.adoptNode(fresh.body));
    history.replaceState(null, "", url);
    setupLoginLanguage();
    document.querySelector("[data-login-form] select[name=language]")?.focus();
  });
}

setupTopBar();
setupLeftPane();
setupOrganisation();
setupTimePeriod();
setupLoginLanguage();
