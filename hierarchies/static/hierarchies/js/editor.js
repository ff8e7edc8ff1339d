// Hierarchy editor (§9.7) in Settings › Hierarchies: Cytoscape.js draws the members and links
// of the hierarchy; every change goes to the API (hierarchies/api/views.py), whose rules refuse
// what §9.7.1 forbids; a refusal is shown and the drawing goes back to what is stored.
"use strict";

(() => {
  const root = document.querySelector("[data-hierarchy-editor]");
  if (!root || !window.cytoscape) return;
  const config = JSON.parse(root.dataset.config);
  const canvas = root.querySelector("[data-editor-canvas]");
  const message = root.querySelector("[data-editor-message]");
  const csrf = document.querySelector("input[name=csrfmiddlewaretoken]")?.value ?? "";
  const SHAPES = { root: "round-rectangle", node: "round-rectangle", circuit: "ellipse", hierarchy: "hexagon" };
  const COLOURS = { root: "#0e7490", node: "#14b8a6", circuit: "#6366f1", hierarchy: "#f59e0b" };

  const say = (text, error = false) => {
    message.textContent = text;
    message.classList.toggle("error", error);
  };

  async function call(method, url, body) {
    const response = await fetch(url, {
      method, headers: { Accept: "application/json", "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = response.status === 204 ? {} : await response.json().catch(() => ({}));
    if (!response.ok) {
      const reasons = typeof data === "object" ? Object.values(data).flat().join(" ") : String(data);
      throw new Error(reasons || response.statusText);
    }
    return data;
  }

  const element = (id) => config.element.replace("{id}", id);
  const nodeData = (member) => ({ group: "nodes", data: { id: `m${member.id}`, member: member.id, kind: member.kind,
    label: member.label }, position: { x: member.x, y: member.y } });

  const cy = window.cytoscape({
    container: canvas,
    wheelSensitivity: 0.2,
    style: [
      { selector: "node", style: {
        label: "data(label)", "text-valign": "center", "text-halign": "center", "text-wrap": "wrap",
        "text-max-width": 140, "font-size": 12, color: "#fff", width: 150, height: 44,
        shape: (n) => SHAPES[n.data("kind")], "background-color": (n) => COLOURS[n.data("kind")] } },
      { selector: "node:selected", style: { "border-width": 3, "border-color": "#111827" } },
      { selector: "edge", style: {
        width: 2, "line-color": "#64748b", "target-arrow-color": "#64748b", "target-arrow-shape": "triangle",
        "curve-style": "bezier", "arrow-scale": 1.3 } },
      { selector: "edge:selected", style: { "line-color": "#111827", "target-arrow-color": "#111827", width: 3 } },
      { selector: ".eh-handle", style: { "background-color": "#ef4444", width: 12, height: 12, shape: "ellipse" } },
      { selector: ".eh-ghost-edge, .eh-preview", style: { "line-color": "#ef4444", "target-arrow-color": "#ef4444",
        "target-arrow-shape": "triangle" } },
    ],
  });
  canvas.cy = cy; // for the browser tests

  async function reload() {
    const hierarchy = await call("GET", config.api);
    cy.elements().remove();
    const spread = hierarchy.members.every((m) => m.x === 0 && m.y === 0);
    hierarchy.members.forEach((member, n) => {
      const item = nodeData(member);
      if (spread) item.position = member.kind === "root" ? { x: 300, y: 60 } : { x: 120 + (n % 4) * 180, y: 180 + Math.floor(n / 4) * 110 };
      cy.add(item);
    });
    for (const link of hierarchy.links) {
      cy.add({ group: "edges", data: { id: `l${link.id}`, link: link.id, source: `m${link.source}`, target: `m${link.target}` } });
    }
    cy.fit(undefined, 40);
    canvas.dataset.members = String(hierarchy.members.length);
    canvas.dataset.links = String(hierarchy.links.length);
  }

  const drawing = cy.edgehandles({ snap: true, canConnect: (source, target) => !source.same(target) });
  cy.on("ehcomplete", async (event, source, target, added) => {
    try {
      const link = await call("POST", config.links, { source: source.data("member"), target: target.data("member") });
      added.data({ link: link.id });
      say("");
    } catch (error) {
      added.remove();
      say(error.message, true);
    }
    canvas.dataset.links = String(cy.edges().length);
  });
  root.querySelectorAll("[data-editor-mode]").forEach((radio) => radio.addEventListener("change", () => {
    if (radio.value === "link" && radio.checked) drawing.enableDrawMode(); else drawing.disableDrawMode();
  }));

  cy.on("dragfree", "node", async (event) => {
    const { x, y } = event.target.position();
    try { await call("PATCH", element(event.target.data("member")), { x, y }); } catch (error) { say(error.message, true); }
  });
  cy.on("dbltap", "node", async (event) => {
    const node = event.target;
    if (!["root", "node"].includes(node.data("kind"))) return;
    const name = window.prompt(root.dataset.textRename, node.data("label"));
    if (!name) return;
    try {
      const member = await call("PATCH", element(node.data("member")), { name });
      node.data("label", member.label);
      say("");
    } catch (error) { say(error.message, true); }
  });

  async function removeSelected() {
    for (const item of cy.$(":selected")) {
      try {
        if (item.isEdge()) await call("DELETE", config.link.replace("{id}", item.data("link")));
        else await call("DELETE", element(item.data("member")));
        say("");
      } catch (error) { say(error.message, true); }
    }
    await reload();
  }
  root.querySelector("[data-remove-selected]").addEventListener("click", removeSelected);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Delete" && !["INPUT", "SELECT", "TEXTAREA"].includes(document.activeElement?.tagName)) removeSelected();
  });

  // A click adds in the middle of the view, stepping aside from elements already there so
  // that each one can still be picked and linked.
  function freeSpot() {
    const extent = cy.extent();
    const spot = { x: (extent.x1 + extent.x2) / 2, y: (extent.y1 + extent.y2) / 2 };
    const taken = (p) => cy.nodes().some((n) => Math.abs(n.position("x") - p.x) < 70 && Math.abs(n.position("y") - p.y) < 45);
    for (let step = 0; step < 24 && taken(spot); step += 1) {
      spot.x += 90;
      if ((step + 1) % 4 === 0) { spot.x -= 360; spot.y += 60; }
    }
    return spot;
  }

  async function add(body, position = null) {
    const at = position ?? freeSpot();
    try {
      await call("POST", config.members, { ...body, x: at.x, y: at.y });
      say("");
      await reload();
      return true;
    } catch (error) {
      say(error.message, true);
      return false;
    }
  }

  // The palette's three modules, added at a position (dropped on the drawing) or in the middle.
  const modules = {
    node: () => {
      const input = root.querySelector("[data-new-node-name]");
      return [{ kind: "node", name: input.value }, () => { input.value = ""; }];
    },
    circuit: () => {
      const select = root.querySelector("[data-new-circuit]");
      return [{ kind: "circuit", circuit: Number(select.value) }, () => select.selectedOptions[0]?.remove()];
    },
    child: () => [{ kind: "hierarchy", child: Number(root.querySelector("[data-new-child]").value) }, () => {}],
  };
  async function place(module, position = null) {
    const [body, done] = modules[module]();
    if (await add(body, position)) done();
  }
  for (const module of Object.keys(modules)) {
    const button = root.querySelector(`[data-add-${module}]`);
    button.addEventListener("click", () => place(module));
    button.addEventListener("dragstart", (event) => event.dataTransfer.setData("text/plain", module));
  }
  canvas.addEventListener("dragover", (event) => event.preventDefault());
  canvas.addEventListener("drop", (event) => {
    event.preventDefault();
    const module = event.dataTransfer.getData("text/plain");
    if (!modules[module]) return;
    // From the page's pixels to the drawing's coordinates (pan and zoom).
    const box = canvas.getBoundingClientRect();
    const pan = cy.pan();
    const zoom = cy.zoom();
    place(module, { x: (event.clientX - box.left - pan.x) / zoom, y: (event.clientY - box.top - pan.y) / zoom });
  });

  reload().catch((error) => say(error.message, true));
})();
