#!/usr/bin/env node
/**
 * Gzipped sizes of the production build (run `npm run build` first).
 *
 *   node scripts/sizes.mjs            a table of every JS/CSS file, the JS total and the first view
 *   node scripts/sizes.mjs --json     the same as JSON (for bench/bench_frontend.py)
 *   node scripts/sizes.mjs --check    exit 1 when a budget is exceeded
 *   --dist <dir>                      another build directory (default: frontend/dist)
 *   --first-view <tab-chunk-name>     the landing page's chunk (default: insights)
 *
 * "First view" = the entry chunk and everything it imports statically, plus the landing tab's lazy chunk
 * and its static imports: what a loan officer's browser downloads to see Analytics Insights. The chunk
 * graph comes from Vite's manifest (dist/.vite/manifest.json). Budgets: 400 KB total JS, 250 KB first view.
 */
import { readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const BUDGET_TOTAL_KB = 400;
const BUDGET_FIRST_VIEW_KB = 250;

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const here = dirname(fileURLToPath(import.meta.url));
const dist = resolve(option("--dist", join(here, "..", "dist")));
const landing = option("--first-view", "insights");

if (!existsSync(join(dist, "index.html"))) {
  console.error(`no build in ${dist}: run \`npm run build\` first`);
  process.exit(2);
}

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

const gz = (path) => gzipSync(readFileSync(path), { level: 9 }).length;
const files = walk(dist)
  .filter((p) => /\.(js|css)$/.test(p))
  .map((path) => ({ file: relative(dist, path), bytes: statSync(path).size, gzip_bytes: gz(path) }))
  .sort((a, b) => b.gzip_bytes - a.gzip_bytes);
const byFile = new Map(files.map((f) => [f.file, f]));

// The chunk graph from the manifest: entry + static imports, then the landing page's chunk + its static imports.
const manifestPath = join(dist, ".vite", "manifest.json");
const manifest = existsSync(manifestPath) ? JSON.parse(readFileSync(manifestPath, "utf8")) : null;
const firstView = new Set();
function addChunk(key) {
  const chunk = manifest[key];
  if (!chunk || firstView.has(chunk.file)) return;
  firstView.add(chunk.file);
  (chunk.imports || []).forEach(addChunk);
}
let landingFound = false;
if (manifest) {
  Object.entries(manifest).filter(([, c]) => c.isEntry).forEach(([key]) => addChunk(key));
  const landingKey = Object.keys(manifest).find((key) => manifest[key].isDynamicEntry
    && (key.includes(`/features/${landing}/`) || manifest[key].name === landing));
  if (landingKey) {
    landingFound = true;
    addChunk(landingKey);
  }
} else {
  // no manifest: fall back to the scripts index.html loads
  const html = readFileSync(join(dist, "index.html"), "utf8");
  for (const m of html.matchAll(/(?:src|href)="\/?([^"]+\.js)"/g)) firstView.add(m[1]);
}

const js = files.filter((f) => f.file.endsWith(".js"));
const sum = (list, key) => list.reduce((n, f) => n + f[key], 0);
const firstViewFiles = [...firstView].map((f) => byFile.get(f)).filter(Boolean);
const report = {
  dist,
  total_js_bytes: sum(js, "bytes"),
  total_js_gzip_bytes: sum(js, "gzip_bytes"),
  total_css_gzip_bytes: sum(files.filter((f) => f.file.endsWith(".css")), "gzip_bytes"),
  first_view: landingFound ? `entry + ${landing}` : "entry only",
  first_view_js_gzip_bytes: sum(firstViewFiles, "gzip_bytes"),
  first_view_chunks: firstViewFiles.map((f) => f.file),
  budgets_kb: { total_js_gzip: BUDGET_TOTAL_KB, first_view_js_gzip: BUDGET_FIRST_VIEW_KB },
  files,
};
report.within_budget = report.total_js_gzip_bytes <= BUDGET_TOTAL_KB * 1024
  && report.first_view_js_gzip_bytes <= BUDGET_FIRST_VIEW_KB * 1024;

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
if (args.includes("--json")) {
  console.log(JSON.stringify(report, null, 2));
} else {
  const width = Math.max(...files.map((f) => f.file.length), 10);
  console.log(`${"file".padEnd(width)}  ${"raw".padStart(10)}  ${"gzip".padStart(10)}  first view`);
  for (const f of files) {
    console.log(`${f.file.padEnd(width)}  ${kb(f.bytes).padStart(10)}  ${kb(f.gzip_bytes).padStart(10)}  ${firstView.has(f.file) ? "yes" : ""}`);
  }
  console.log("");
  console.log(`JS total (gzip):        ${kb(report.total_js_gzip_bytes)}  (budget ${BUDGET_TOTAL_KB} KB)`);
  console.log(`First view JS (gzip):   ${kb(report.first_view_js_gzip_bytes)}  (budget ${BUDGET_FIRST_VIEW_KB} KB; ${report.first_view})`);
  console.log(`CSS total (gzip):       ${kb(report.total_css_gzip_bytes)}`);
  console.log(report.within_budget ? "within budget" : "OVER BUDGET");
}
if (args.includes("--check") && !report.within_budget) process.exit(1);
