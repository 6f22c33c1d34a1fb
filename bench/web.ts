// `npm run bench:web -- [--url http://127.0.0.1:4000/] [--runs 5]`
//
// The dashboard as a person meets it, against a running API and worker (e.g. `npm start`
// on the 100k demo data), in Debian's Chromium:
//  1. time from navigation start to the first chart drawn (the trend chart), cold (a
//     question nobody asked before: a fresh minimum amount makes a new cache key) and
//     cached (the same URL loaded again: submitAnalytics answers CACHED);
//  2. the JavaScript and CSS that the page loads, raw and gzipped (from web/dist);
//  3. an accessibility check with axe-core (WCAG 2.x A/AA rules) on the loaded dashboard.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../test/web/browser.js';

const { values } = parseArgs({ options: { url: { type: 'string', default: 'http://127.0.0.1:4000/' }, runs: { type: 'string', default: '5' } } });
const base = values.url!;
const runs = Number(values.runs);
const DIST = fileURLToPath(new URL('../web/dist/assets/', import.meta.url));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Opens `url` in a fresh page and returns ms from navigation start to the trend chart being drawn. */
async function timeToFirstChart(page: Page, url: string): Promise<{ ms: number; ticket: string | null }> {
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForSelector('[data-testid="trend-year"][data-bars]', { timeout: 120_000 });
  const ms = await page.evaluate(() => performance.now());
  const ticket = await page.getByTestId('analytics-task').getAttribute('data-ticket');
  return { ms, ticket };
}

const browser = await launchBrowser();
try {
  const { page } = browser;
  const cold: number[] = [];
  const cached: number[] = [];
  for (let i = 0; i < runs; i++) {
    // A minimum amount no one asked for: a new cache key, so the worker computes it.
    const url = `${base}?min=${1 + Math.floor(Math.random() * 1e6)}.${i}`;
    const first = await timeToFirstChart(page, url);
    if (first.ticket === 'CACHED') throw new Error('the cold question was answered from the cache');
    cold.push(first.ms);
    const again = await timeToFirstChart(page, url);
    if (again.ticket !== 'CACHED') throw new Error(`the repeated question was not CACHED but ${again.ticket}`);
    cached.push(again.ms);
  }
  console.log(`time to first chart (${runs} runs, ms): cold median ${median(cold).toFixed(0)} [${cold.map((x) => x.toFixed(0)).join(', ')}]`);
  console.log(`                                       cached median ${median(cached).toFixed(0)} [${cached.map((x) => x.toFixed(0)).join(', ')}]`);

  for (const file of readdirSync(DIST).sort()) {
    const bytes = readFileSync(`${DIST}${file}`);
    console.log(`${file}: ${(bytes.length / 1024).toFixed(1)} KB, gzipped ${(gzipSync(bytes, { level: 9 }).length / 1024).toFixed(1)} KB`);
  }

  await page.goto(`${base}?contractor=construction`);
  await page.waitForSelector('[data-testid="trend-year"][data-bars]', { timeout: 120_000 });
  await page.waitForSelector('[data-testid="contracts-table"]', { timeout: 120_000 });
  const axe = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
  await page.addScriptTag({ path: axe });
  const result = await page.evaluate(async () => {
    const r = await (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<any> } }).axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    return { passes: r.passes.length, violations: r.violations.map((v: any) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help })) };
  });
  console.log(`axe-core: ${result.passes} rules passed, ${result.violations.length} violated`);
  for (const v of result.violations) console.log(`  ${v.impact} ${v.id} (${v.nodes} nodes): ${v.help}`);
} finally {
  await browser.close();
}
