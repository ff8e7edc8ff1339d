// Page frame behaviour: top bar show/hide (§7.5), left pane open/close/pin (§7.1),
// Organisation (§7.2) and Time period (§7.3) components. Later menus listen to the
// "webview:organisation" and "webview:period" events dispatched on document.

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

// Bounds of a predefined period in local time, as [start, end) Dates.
export function periodBounds(period, now = new Date()) {
  const day = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  const addDays = (date, n) => new Date(date.getFullYear(), date.getMonth(), date.getDate() + n);
  const monday = addDays(day, -((day.getDay() + 6) % 7));
  switch (period) {
    case "today": return [day, addDays(day, 1)];
    case "yesterday": return [addDays(day, -1), day];
    case "this_week": return [monday, addDays(monday, 7)];
    case "last_week": return [addDays(monday, -7), monday];
    case "this_month": return [new Date(day.getFullYear(), day.getMonth(), 1), new Date(day.getFullYear(), day.getMonth() + 1, 1)];
    case "last_month": return [new Date(day.getFullYear(), day.getMonth() - 1, 1), new Date(day.getFullYear(), day.getMonth(), 1)];
    case "this_year": return [new Date(day.getFullYear(), 0, 1), new Date(day.getFullYear() + 1, 0, 1)];
    case "last_year": return [new Date(day.getFullYear() - 1, 0, 1), new Date(day.getFullYear(), 0, 1)];
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
  const format = new Intl.DateTimeFormat(document.documentElement.lang, { dateStyle: "medium", timeStyle: "short" });
  const params = new URLSearchParams(location.search);
  if (params.get("period")) select.value = params.get("period");

  const emit = () => {
    custom.hidden = select.value !== "custom";
    if (resolution) resolution.hidden = auto.checked;
    let bounds = periodBounds(select.value);
    if (select.value === "custom") {
      const start = startInput.value ? new Date(startInput.value) : null;
      const end = endInput.value ? new Date(endInput.value) : null;
      const valid = start && end && end > start;
      error.hidden = !(start && end) || valid;
      bounds = valid ? [start, end] : null;
    }
    if (!bounds) { summary.textContent = ""; return; }
    summary.textContent = `${format.format(bounds[0])} → ${format.format(bounds[1])}`;
    const url = new URL(location.href);
    url.searchParams.set("period", select.value);
    history.replaceState(null, "", url);
    document.dispatchEvent(new CustomEvent("webview:period", {
      detail: {
        period: select.value,
        start: bounds[0].toISOString(),
        end: bounds[1].toISOString(),
        step: auto && !auto.checked ? step.value : "auto",
      },
    }));
  };
  [select, startInput, endInput, auto, step].forEach((el) => el?.addEventListener("change", emit));
  emit();
}

function setupLoginLanguage() {
  const form = document.querySelector("[data-login-form]");
  const language = form?.querySelector("select[name=language]");
  if (!language) return;
  // Switch the sign-in page itself to the chosen language (§6.1).
  language.addEventListener("change", () => {
    const url = new URL(location.href);
    url.searchParams.set("language", language.value);
    location.assign(url);
  });
}

setupTopBar();
setupLeftPane();
setupOrganisation();
setupTimePeriod();
setupLoginLanguage();
