// Add a source (§9.6.2): a register map of one's own is asked for every reference but the
// gateways (data-gateways), which are read through their catalogue entry. The server checks the
// pair whatever the browser shows; this only hides a field that does not apply.
// A static file, not an inline script: the CSP allows scripts from 'self' only.
"use strict";

function rowOf(field, other) {
  // The largest block around ``field`` that does not also hold ``other``: its row in the form.
  let row = field;
  while (row.parentElement && !row.parentElement.contains(other)) {
    row = row.parentElement;
  }
  return row;
}

document.addEventListener("DOMContentLoaded", () => {
  const reference = document.getElementById("id_reference");
  const customMap = document.getElementById("id_custom_map");
  if (!reference || !customMap) {
    return;
  }
  const gateways = new Set(JSON.parse(customMap.dataset.gateways || "[]"));
  const row = rowOf(customMap, reference);
  const update = () => {
    // CSSOM, not a style attribute: the CSP refuses inline styles, not scripts setting them.
    row.style.display = reference.value && !gateways.has(reference.value) ? "" : "none";
  };
  reference.addEventListener("change", update);
  update();
});
