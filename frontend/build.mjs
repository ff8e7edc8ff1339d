// Builds the front-end libraries into webview/static/dist/ (committed: the gateway installs and
// runs with pip only). Run `npm ci && node build.mjs` here, or `make assets` at the top.
// Reproducible: no timestamps or absolute paths in the output; two builds are byte-identical.

import { build } from "esbuild";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "..", "webview", "static", "dist");

const ALPINE_DIST = ["@alpinejs/csp", "dist/cdn.min.js"];

// The packages whose code ends up in dist/, direct ones first, then what they bundle.
const BUNDLED = [
  { name: "echarts", into: "echarts.js", files: ["LICENSE", "NOTICE"] },
  { name: "zrender", into: "echarts.js (ECharts' renderer)", files: ["LICENSE"] },
  { name: "tslib", into: "echarts.js (ECharts' helpers)", files: ["LICENSE.txt"] },
  { name: "@alpinejs/csp", into: "alpine.js", files: [], licenceText: "alpine" },
  // Alpine's dist file embeds its own copy of these: their version is the one in that file's
  // licence comments, not the (possibly newer) one npm installs beside it.
  { name: "@vue/reactivity", into: "alpine.js (inside Alpine's build)", files: ["LICENSE"], embeddedIn: ALPINE_DIST },
  { name: "@vue/shared", into: "alpine.js (inside Alpine's build)", files: ["LICENSE"], embeddedIn: ALPINE_DIST },
  { name: "htmx.org", into: "htmx.js", files: ["LICENSE"] },
  { name: "cytoscape", into: "cytoscape.js", files: ["LICENSE"] },
  { name: "cytoscape-edgehandles", into: "cytoscape.js (drawing links)", files: ["LICENSE"] },
  { name: "lodash.memoize", into: "cytoscape.js (edgehandles' helper)", files: ["LICENSE"] },
  { name: "lodash.throttle", into: "cytoscape.js (edgehandles' helper)", files: ["LICENSE"] },
];

const pkgDir = (name) => join(here, "node_modules", name);

async function pkgInfo(name) {
  const meta = JSON.parse(await readFile(join(pkgDir(name), "package.json"), "utf8"));
  return { version: meta.version, license: meta.license };
}

// The ECharts subset the product uses (Monitor, Trends, Consumption, hierarchy views).
const ECHARTS_ENTRY = `
import * as echarts from "echarts/core";
import {
  LineChart, BarChart, PieChart, GaugeChart, SankeyChart, TreeChart, GraphChart, ScatterChart,
} from "echarts/charts";
import {
  GridComponent, PolarComponent, TooltipComponent, LegendComponent,
  DataZoomInsideComponent, DataZoomSliderComponent, ToolboxComponent, DatasetComponent,
  MarkLineComponent, MarkAreaComponent, TitleComponent, VisualMapComponent,
} from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";
import langFR from "echarts/lib/i18n/langFR.js";

echarts.use([
  LineChart, BarChart, PieChart, GaugeChart, SankeyChart, TreeChart, GraphChart, ScatterChart,
  GridComponent, PolarComponent, TooltipComponent, LegendComponent,
  DataZoomInsideComponent, DataZoomSliderComponent, ToolboxComponent, DatasetComponent,
  MarkLineComponent, MarkAreaComponent, TitleComponent, VisualMapComponent,
  CanvasRenderer,
]);
echarts.registerLocale("FR", langFR);

export * from "echarts/core";
`;

// Upstream builds are copied as they are, minus a source-map reference (the map is not vended,
// and Django's manifest storage fails collectstatic on a reference to a missing file).
const stripSourceMap = (text) => text.replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, "\n");

async function copyDist(name, file, target, note) {
  const { version, license } = await pkgInfo(name);
  const body = stripSourceMap(await readFile(join(pkgDir(name), file), "utf8"));
  const banner = `/*! ${name} ${version} (${license})${note ? ` ${note}` : ""}; see LICENSES.txt */\n`;
  await writeFile(join(dist, target), banner + body.replace(/\s*$/, "\n"));
}

async function buildEcharts() {
  const ech = await pkgInfo("echarts");
  const zr = await pkgInfo("zrender");
  const ts = await pkgInfo("tslib");
  const banner = [
    `/*! Apache ECharts ${ech.version} (${ech.license}), custom build for WebView:`,
    " * line, bar, pie, gauge, sankey, tree, graph, scatter; grid, polar, tooltip, legend,",
    " * dataZoom (inside, slider), toolbox, dataset, markLine, markArea, title, visualMap;",
    " * canvas renderer; locale FR.",
    " * Copyright 2017-2026 The Apache Software Foundation.",
    ` * Includes zrender ${zr.version} (${zr.license}) and tslib ${ts.version} (${ts.license}).`,
    " * Licence texts and notices: LICENSES.txt beside this file. */",
  ].join("\n");
  await build({
    stdin: { contents: ECHARTS_ENTRY, resolveDir: here, sourcefile: "echarts-entry.js", loader: "js" },
    bundle: true,
    format: "iife",
    globalName: "echarts",
    platform: "browser",
    target: ["es2020"],
    minify: true,
    treeShaking: true,
    legalComments: "none", // the banner and LICENSES.txt carry the notices
    banner: { js: banner },
    define: { "process.env.NODE_ENV": '"production"', __DEV__: "false" },
    charset: "ascii",
    sourcemap: false,
    write: true,
    outfile: join(dist, "echarts.js"),
    logLevel: "warning",
  });
}

// The hierarchy editor's graph (§9.7): Cytoscape.js with the edgehandles extension, one file.
const CYTOSCAPE_ENTRY = `
import cytoscape from "cytoscape";
import edgehandles from "cytoscape-edgehandles";

cytoscape.use(edgehandles);
window.cytoscape = cytoscape;
`;

async function buildCytoscape() {
  const cy = await pkgInfo("cytoscape");
  const eh = await pkgInfo("cytoscape-edgehandles");
  await build({
    stdin: { contents: CYTOSCAPE_ENTRY, resolveDir: here, sourcefile: "cytoscape-entry.js", loader: "js" },
    bundle: true,
    format: "iife",
    platform: "browser",
    target: ["es2020"],
    minify: true,
    legalComments: "none",
    banner: { js: `/* Cytoscape.js ${cy.version} (${cy.license}) with cytoscape-edgehandles ${eh.version} (${eh.license}).\n` +
      " * Licence texts: LICENSES.txt beside this file. */" },
    define: { "process.env.NODE_ENV": '"production"' },
    charset: "ascii",
    sourcemap: false,
    write: true,
    outfile: join(dist, "cytoscape.js"),
    logLevel: "warning",
  });
}

async function writeLicences() {
  const parts = [
    "Third-party software in webview/static/dist/, built by frontend/build.mjs from the exact",
    "versions pinned in frontend/package-lock.json.",
    "",
  ];
  const index = [];
  const texts = [];
  for (const entry of BUNDLED) {
    let { version, license } = await pkgInfo(entry.name);
    if (entry.embeddedIn) {
      const host = await readFile(join(pkgDir(entry.embeddedIn[0]), entry.embeddedIn[1]), "utf8");
      const found = host.match(new RegExp(`\\* ${entry.name.replace("/", "\\/")} v(\\d+\\.\\d+\\.\\d+)`));
      if (!found) throw new Error(`no ${entry.name} version in ${entry.embeddedIn.join("/")}`);
      version = found[1];
    }
    index.push(`${entry.name} ${version}  ${license}  -> ${entry.into}`);
    let text = "";
    for (const file of entry.files) {
      text += (await readFile(join(pkgDir(entry.name), file), "utf8")).replace(/\s*$/, "\n");
    }
    if (entry.licenceText === "alpine") {
      // @alpinejs/csp ships no LICENSE file; its package.json says MIT (Caleb Porzio).
      text = "MIT License\n\nCopyright (c) Caleb Porzio and contributors\n\n" + MIT_TERMS;
    }
    texts.push(`${"=".repeat(78)}\n${entry.name} ${version} (${license})\n${"=".repeat(78)}\n\n${text}`);
  }
  await writeFile(join(dist, "LICENSES.txt"), [...parts, ...index, "", ...texts].join("\n"));
}

const MIT_TERMS = `Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
`;

await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });
await buildEcharts();
// The CSP build evaluates Alpine expressions without new Function: works under script-src 'self'.
await copyDist(...ALPINE_DIST, "alpine.js", "with @vue/reactivity");
await copyDist("htmx.org", "dist/htmx.min.js", "htmx.js");
await buildCytoscape();
await writeLicences();
for (const file of ["echarts.js", "alpine.js", "htmx.js", "cytoscape.js", "LICENSES.txt"]) {
  const size = (await readFile(join(dist, file))).length;
  console.log(`${file.padEnd(12)} ${(size / 1024).toFixed(1).padStart(7)} KiB`);
}
