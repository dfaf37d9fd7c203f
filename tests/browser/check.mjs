// Opens an aimscheck HTML report in headless Chromium and checks that it renders as a person
// would see it: no console error, no page error, no request leaving the page, an SVG process
// map with a non-zero size and a node for every process of the model; then saves a
// full-page screenshot.
//
// usage: node check.mjs REPORT.html MODEL.json SCREENSHOT.png
// env:   CHROMIUM (default /usr/bin/chromium)

import { chromium } from 'playwright-core';
import { readFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [report, modelPath, screenshot] = process.argv.slice(2);
if (!report || !modelPath || !screenshot) {
  console.error('usage: node check.mjs REPORT.html MODEL.json SCREENSHOT.png');
  process.exit(2);
}

const started = Date.now();
const problems = [];
const model = JSON.parse(readFileSync(modelPath, 'utf8'));
const processIds = (model.processes ?? []).map((p) => p.id);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('request', (req) => {
    const url = req.url();
    if (!url.startsWith('file:') && !url.startsWith('data:')) {
      problems.push(`request outside the page: ${url}`);
    }
  });
  page.on('requestfailed', (req) =>
    problems.push(`failed request: ${req.url()} (${req.failure()?.errorText})`),
  );

  const url = pathToFileURL(resolve(report)).href;
  const response = await page.goto(url, { waitUntil: 'load' });
  if (!response || !response.ok()) problems.push(`could not open ${url}`);

  const svg = page.locator('#map svg');
  if ((await svg.count()) !== 1) {
    problems.push(`expected one SVG map, found ${await svg.count()}`);
  } else {
    const box = await svg.boundingBox();
    if (!box || box.width <= 0 || box.height <= 0) {
      problems.push(`the SVG map has no size: ${JSON.stringify(box)}`);
    } else {
      console.log(`map: ${Math.round(box.width)} x ${Math.round(box.height)} px on the page`);
    }
    // Each process node, with the size the browser gives it.
    const nodes = await page.$$eval('#map svg g.node[data-kind="process"]', (els) =>
      els.map((el) => {
        const b = el.getBBox();
        return { id: el.dataset.id, width: b.width, height: b.height, failing: el.classList.contains('failing') };
      }),
    );
    const drawn = new Map(nodes.map((n) => [n.id, n]));
    for (const id of processIds) {
      const n = drawn.get(id);
      if (!n) problems.push(`process ${id} has no node on the map`);
      else if (n.width <= 0 || n.height <= 0) problems.push(`the node of process ${id} has no size`);
    }
    const failing = nodes.filter((n) => n.failing).map((n) => n.id);
    console.log(`nodes: ${nodes.length} processes on the map (${processIds.length} in the model), ${failing.length} marked failing`);
    const labels = await page.$$eval('#map svg .edge-label', (els) => els.length);
    const edges = await page.$$eval('#map svg g.edge', (els) => els.length);
    console.log(`edges: ${edges}, edge labels: ${labels}`);
    if (edges === 0) problems.push('the map has no edges');
  }

  mkdirSync(dirname(resolve(screenshot)), { recursive: true });
  await page.screenshot({ path: screenshot, fullPage: true });
  console.log(`screenshot: ${screenshot}`);
} finally {
  await browser.close();
}

console.log(`browser check took ${((Date.now() - started) / 1000).toFixed(1)} s`);
if (problems.length > 0) {
  for (const p of problems) console.error(`FAIL ${p}`);
  console.error(`${problems.length} problems`);
  process.exit(1);
}
console.log('ok: the report renders with its process map and no console errors');
