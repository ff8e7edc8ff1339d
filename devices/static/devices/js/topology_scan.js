// Autodetect (§9.6.3 item 14): follows the background scan behind each gateway, once a second,
// until every scan has finished or stopped. The server words every message in the reader's
// language; this only places them.
"use strict";

const POLL_MS = 1000;
const ENDED = new Set(["finished", "failed"]);

function cell(text, url) {
  const td = document.createElement("td");
  if (url) {
    const link = document.createElement("a");
    link.href = url;
    link.textContent = text;
    link.className = "underline";
    td.append(link);
  } else {
    td.textContent = text;
  }
  return td;
}

function show(section, gateway) {
  const bar = section.querySelector("progress");
  bar.max = Math.max(gateway.total, 1);
  bar.value = gateway.state === "finished" ? bar.max : gateway.done;
  section.querySelector("[data-role=message]").textContent = gateway.message;
  section.dataset.state = gateway.state;
  const table = section.querySelector("table");
  const rows = gateway.found.map((item) => {
    const tr = document.createElement("tr");
    tr.append(cell(String(item.unit_id)), cell(item.product_name || "—"), cell(item.reference || "—", item.url),
      cell(item.outcome));
    return tr;
  });
  table.querySelector("tbody").replaceChildren(...rows);
  table.hidden = rows.length === 0;
}

async function poll(root) {
  let ended = false;
  try {
    const response = await fetch(root.dataset.statusUrl, { headers: { Accept: "application/json" } });
    if (response.ok) {
      const { gateways } = await response.json();
      for (const gateway of gateways) {
        const section = root.querySelector(`[data-gateway="${gateway.id}"]`);
        if (section) {
          show(section, gateway);
        }
      }
      ended = gateways.every((gateway) => ENDED.has(gateway.state));
    }
  } catch (error) {
    // A restarting server: try again at the next beat.
  }
  if (!ended) {
    window.setTimeout(() => poll(root), POLL_MS);
  }
}

document.addEventListener("DOMContentLoaded", () => {
  const root = document.getElementById("topology-scan");
  if (root && root.dataset.statusUrl) {
    poll(root);
  }
});
