// Opens aimscheck HTML reports in headless Chromium and checks that they render as a person
// would see them and print as an auditor would file them:
//
// - no console error, no page error, no request leaving the page;
// - an SVG process map with a non-zero size and a node for every process of the model;
// - every status and severity badge, on every page, has a contrast of at least 4.5:1 (WCAG AA)
//   between its text and what is behind it, from the styles the browser computed; the pages
//   together show every status and every severity, so no badge goes unchecked;
// - the words people read carry no raw enum names (`observation_sensitive_point`) and no bare
//   ratios (`0.3333 ratio`);
// - printed to A4 (`@media print`), the main report fits in MAX_PAGES pages, each finding takes
//   one line and the expected/found details are left to the screen;
//
// then saves a full-page screenshot and the PDF of the main report.
//
// usage: node check.mjs REPORT.html MODEL.json SCREENSHOT.png [MORE.html ...]
//        REPORT.html is the main report (map, enums, print); MORE.html pages are checked for
//        errors and contrast and add the badges they show.
// env:   CHROMIUM (default /usr/bin/chromium), MAX_PAGES (default 8)

import { chromium } from 'playwright-core';
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [report, modelPath, screenshot, ...more] = process.argv.slice(2);
if (!report || !modelPath || !screenshot) {
  console.error('usage: node check.mjs REPORT.html MODEL.json SCREENSHOT.png [MORE.html ...]');
  process.exit(2);
}
const maxPages = Number(process.env.MAX_PAGES || 8);

const STATUSES = ['pass', 'fail', 'insufficient_evidence', 'not_applicable', 'waived', 'error'];
const SEVERITIES = ['critical', 'high', 'medium', 'low'];
// Names of the report's enums that a person should never read as such.
const RAW_ENUMS = [
  'insufficient_evidence',
  'not_applicable',
  'non_compliant',
  'partially_compliant',
  'not_assessed',
  'major_nonconformity',
  'minor_nonconformity',
  'observation_sensitive_point',
  'opportunity_for_improvement',
  'per_system',
  'unknown_rule',
];
const AA = 4.5;

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

/** Opens `file` in a new page that records every console error, page error and request. */
async function open(file) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const name = file.split('/').pop();
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`${name}: console error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`${name}: page error: ${err.message}`));
  page.on('request', (req) => {
    const url = req.url();
    if (!url.startsWith('file:') && !url.startsWith('data:')) {
      problems.push(`${name}: request outside the page: ${url}`);
    }
  });
  page.on('requestfailed', (req) =>
    problems.push(`${name}: failed request: ${req.url()} (${req.failure()?.errorText})`),
  );
  const url = pathToFileURL(resolve(file)).href;
  const response = await page.goto(url, { waitUntil: 'load' });
  if (!response || !response.ok()) problems.push(`could not open ${url}`);
  return page;
}

/**
 * Every badge of the page with the contrast of its text against what is behind it, computed
 * in the page from getComputedStyle: the text colour and the background colours of the badge
 * and its ancestors, composed over white where they are translucent.
 */
async function badges(page) {
  return page.$$eval('span.status, span.severity, span.result, td.rules span.rule, .counts li .n', (els) => {
    const parse = (css) => {
      const m = css.match(/rgba?\(([^)]+)\)/);
      if (!m) throw new Error(`a colour this check does not read: ${css}`);
      const [r, g, b, a = 1] = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
      return [r, g, b, a];
    };
    const over = ([r, g, b, a], [R, G, B]) => [r * a + R * (1 - a), g * a + G * (1 - a), b * a + B * (1 - a)];
    const background = (el) => {
      const layers = [];
      for (let e = el; e; e = e.parentElement) {
        const c = parse(getComputedStyle(e).backgroundColor);
        if (c[3] > 0) layers.push(c);
        if (c[3] >= 1) break;
      }
      // What the page itself shows under every layer: white.
      return layers.reverse().reduce((under, layer) => over(layer, under), [255, 255, 255]);
    };
    // WCAG 2 relative luminance of an sRGB colour.
    const luminance = (rgb) => {
      const [r, g, b] = rgb.map((v) => {
        const c = v / 255;
        return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    return els.map((el) => {
      const style = getComputedStyle(el);
      const bg = background(el);
      const fg = over(parse(style.color), bg);
      const [l1, l2] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
      const cls = el.classList.contains('n') ? el.parentElement.classList : el.classList;
      const kind = el.classList.contains('n')
        ? 'count'
        : el.matches('td.rules span.rule')
          ? 'clause-table chip'
          : el.classList.contains('severity')
            ? 'severity'
            : el.classList.contains('status')
              ? 'status'
              : 'result';
      const value = [...cls]
        .map((c) => c.match(/^(?:status|severity)-(.+)$/)?.[1])
        .find(Boolean) ?? [...cls].filter((c) => c !== 'result' && c !== 'value').join(' ');
      const hex = (rgb) => '#' + rgb.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('');
      return {
        kind,
        value,
        text: el.textContent.trim(),
        fg: hex(fg),
        bg: hex(bg),
        ratio: (l1 + 0.05) / (l2 + 0.05),
        visible: el.getClientRects().length > 0,
      };
    });
  });
}

/** The text a person reads on the page, outside code (pointers and model values). */
async function prose(page) {
  return page.evaluate(() => {
    const out = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.parentElement.closest('code, svg, script, style, .findings .detail')) continue;
      out.push(n.textContent);
    }
    // Titles show on hover.
    for (const el of document.querySelectorAll('[title]')) out.push(el.getAttribute('title'));
    return out.join(' ');
  });
}

const seen = new Map(); // "kind value" -> worst badge
try {
  const page = await open(report);

  // The map.
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

  // Words for people: gaps.json has a clause graded observation_sensitive_point and a
  // corrective-action resolution rate of 0.3333.
  const text = await prose(page);
  for (const words of ['Observation (sensitive point)', '33%', 'Not applicable', 'Non-compliant']) {
    if (!text.includes(words)) problems.push(`the page does not show "${words}"`);
  }

  mkdirSync(dirname(resolve(screenshot)), { recursive: true });
  await page.screenshot({ path: screenshot, fullPage: true });
  console.log(`screenshot: ${screenshot}`);

  // Printed: every finding on one line, its details left to the screen.
  const onScreen = await page.$$eval('.findings .detail', (els) =>
    els.filter((el) => el.getClientRects().length > 0).length,
  );
  await page.emulateMedia({ media: 'print' });
  const printed = await page.$$eval('.findings > li', (els) =>
    els.map((el) => {
      const lh = parseFloat(getComputedStyle(el).lineHeight) || parseFloat(getComputedStyle(el).fontSize) * 1.5;
      return { lines: el.getBoundingClientRect().height / lh, details: el.querySelectorAll('.detail').length,
        shownDetails: [...el.querySelectorAll('.detail')].filter((d) => d.getClientRects().length > 0).length };
    }),
  );
  const tall = printed.filter((f) => f.lines > 1.5).length;
  const details = printed.reduce((n, f) => n + f.details, 0);
  const printedDetails = printed.reduce((n, f) => n + f.shownDetails, 0);
  console.log(`findings: ${printed.length}; details shown on screen ${onScreen} of ${details}, in print ${printedDetails}; findings taller than one line in print: ${tall}`);
  if (printed.length === 0) problems.push('the main report has no findings to print');
  if (tall > 0) problems.push(`${tall} findings take more than one line in print`);
  if (printedDetails > 0) problems.push(`${printedDetails} finding details are printed`);
  if (details > 0 && onScreen === 0) problems.push('the finding details are not shown on screen');
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  const pdfPath = resolve(dirname(resolve(screenshot)), 'report.pdf');
  writeFileSync(pdfPath, pdf);
  // Pages two ways: the page objects, and the count of the root of the page tree.
  const raw = pdf.toString('latin1');
  const pages = (raw.match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length;
  const counted = Math.max(0, ...[...raw.matchAll(/\/Count\s+(\d+)/g)].map((m) => Number(m[1])));
  if (counted !== pages) problems.push(`the PDF has ${pages} page objects but counts ${counted} pages`);
  console.log(`printed to A4: ${pages} pages (at most ${maxPages}): ${pdfPath}`);
  if (pages === 0 || pages > maxPages) problems.push(`the printed report has ${pages} pages, more than ${maxPages}`);
  await page.emulateMedia({ media: 'screen' });

  // Words and the contrast of every badge, on every page.
  const pages_ = [[report, page]];
  for (const file of more) pages_.push([file, await open(file)]);
  for (const [file, p] of pages_) {
    const name = file.split('/').pop();
    const words = await prose(p);
    for (const raw of RAW_ENUMS) {
      if (words.includes(raw)) problems.push(`${name}: the page shows the raw name ${raw}`);
    }
    const ratio = words.match(/\d(?:\.\d+)? ratio\b/);
    if (ratio) problems.push(`${name}: the page shows a bare ratio: "${ratio[0]}"`);
    const low = new Map(); // "kind value" -> [how many below AA, the worst]
    for (const b of await badges(p)) {
      if (!b.visible) continue;
      const key = `${b.kind} ${b.value}`;
      const worst = seen.get(key);
      if (!worst || b.ratio < worst.ratio) seen.set(key, { ...b, page: name });
      if (b.ratio < AA) {
        const [n, w] = low.get(key) ?? [0, b];
        low.set(key, [n + 1, b.ratio < w.ratio ? b : w]);
      }
    }
    for (const [key, [n, b]] of low) {
      problems.push(`${name}: ${n} ${key} badges below ${AA}:1, the worst "${b.text}" at ${b.ratio.toFixed(2)}:1 (${b.fg} on ${b.bg})`);
    }
  }
} finally {
  await browser.close();
}

console.log('badge contrast (lowest per kind and value, WCAG AA needs 4.5:1):');
for (const [key, b] of [...seen].sort(([a], [b]) => a.localeCompare(b))) {
  console.log(`  ${key.padEnd(40)} ${b.ratio.toFixed(2).padStart(6)}:1  ${b.fg} on ${b.bg}  "${b.text}" (${b.page})`);
}
for (const s of STATUSES) {
  if (!seen.has(`status ${s}`)) problems.push(`no page shows a status badge ${s}`);
}
for (const s of SEVERITIES) {
  if (!seen.has(`severity ${s}`)) problems.push(`no page shows a severity badge ${s}`);
}

console.log(`browser check took ${((Date.now() - started) / 1000).toFixed(1)} s`);
if (problems.length > 0) {
  for (const p of problems) console.error(`FAIL ${p}`);
  console.error(`${problems.length} problems`);
  process.exit(1);
}
console.log('ok: the reports render with their process map, readable badges and words, and print short');
