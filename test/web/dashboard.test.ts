// The dashboard in a real browser (Debian's Chromium) against a real API, worker,
// PostgreSQL and Redis with the SQL fixture: chips with autocomplete, live progress from
// taskProgress, exact figures, the contracts table, the table view, reloading the URL,
// and BAD_USER_INPUT shown next to its field. Writes desktop and phone screenshots.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import pg from 'pg';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../../src/server/web-build.js';
import { formatCount, formatDate, formatPeso } from '../../web/src/format.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { launchBrowser, screenshot, type Browser } from './browser.js';

let stack: Stack;
let base: string;
let browser: Browser;
let db: pg.Client;

beforeAll(async () => {
  await ensureWebBuild(() => {});
  stack = await startStack('web_dashboard', { contracts: 3000 });
  base = stack.url.replace(/\/graphql$/, '/');
  db = new pg.Client({ connectionString: stack.database.url });
  await db.connect();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await db?.end();
  await stack?.stop();
});

/** What the fixture holds for one exact contractor, computed in SQL (not by the engine). */
async function contractorFigures(name: string) {
  const { rows } = await db.query<{ n: number; total: number; avg: number }>(
    `SELECT count(*)::int AS n, coalesce(sum(c.amount), 0)::float8 AS total, coalesce(avg(c.amount), 0)::float8 AS avg
       FROM contracts c JOIN contractors k ON k.id = c.contractor_id WHERE k.name = $1`,
    [name],
  );
  return rows[0]!;
}

async function contractorReferences(name: string, order: string, limit: number): Promise<string[]> {
  const { rows } = await db.query<{ reference_id: string }>(
    `SELECT c.reference_id FROM contracts c JOIN contractors k ON k.id = c.contractor_id
      WHERE k.name = $1 ORDER BY ${order} LIMIT $2`,
    [name, limit],
  );
  return rows.map((r) => r.reference_id);
}

/** Records every state the analytics progress bar shows (phase and value), as the page renders them. */
async function recordProgress(page: Page): Promise<Array<{ phase: string; value: number; text: string }>> {
  const log: Array<{ phase: string; value: number; text: string }> = [];
  await page.exposeFunction('__recordProgress', (phase: string, value: number, text: string) => log.push({ phase, value, text }));
  await page.addInitScript(() => {
    let last = '';
    const read = () => {
      const box = document.querySelector('[data-testid="analytics-task"]');
      const bar = document.querySelector<HTMLProgressElement>('[data-testid="analytics-task-bar"]');
      if (!box || !bar) return;
      const state = `${box.getAttribute('data-phase')}|${bar.value}|${box.querySelector('[role="status"]')?.textContent}`;
      if (state === last) return;
      last = state;
      (window as unknown as { __recordProgress: (p: string, v: number, t: string) => void }).__recordProgress(
        box.getAttribute('data-phase') ?? '', bar.value, box.querySelector('[role="status"]')?.textContent ?? '');
    };
    addEventListener('DOMContentLoaded', () => {
      new MutationObserver(read).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    });
  });
  return log;
}

const text = (page: Page, testId: string) => page.getByTestId(testId).textContent();
const firstReferences = (page: Page, n: number) =>
  page.$$eval('[data-testid="contracts-table"] tbody tr', (rows, n) => rows.slice(0, n).map((r) => r.querySelector('.ref')?.textContent ?? ''), n);

describe('dashboard', () => {
  describe('when a person picks a contractor from the autocomplete', () => {
    it('follows the task to the exact figures, and a reload shows the same view from the cache', async () => {
      const { page } = browser;
      const progress = await recordProgress(page);
      await page.goto(base);
      await expect.poll(() => page.getByTestId('analytics-task').getAttribute('data-phase'), { timeout: 30_000 }).toBe('done');
      expect(await text(page, 'summary-count')).toBe(formatCount(3000));

      // No worker: the next question waits in the queue, and the page says so.
      await stack.stopWorkers();
      progress.length = 0;
      const input = page.getByRole('combobox', { name: 'Contractors' });
      await input.click();
      await input.pressSequentially('petr', { delay: 30 });
      const option = page.getByRole('option', { name: /PETRON CORPORATION/ });
      await expect.poll(() => option.isVisible(), { timeout: 10_000 }).toBe(true);
      await input.press('ArrowDown');
      await expect.poll(() => option.getAttribute('aria-selected')).toBe('true');
      await input.press('Enter');
      await expect.poll(() => page.getByRole('list', { name: 'Contractors chips' }).textContent()).toContain('PETRON CORPORATION');
      expect(new URL(page.url()).searchParams.getAll('contractor')).toEqual(['PETRON CORPORATION']);
      await expect.poll(() => page.getByTestId('analytics-task').getAttribute('data-phase'), { timeout: 10_000 }).toBe('queued');
      expect(await page.getByTestId('analytics-task').textContent()).toContain('Waiting for a worker');

      // A worker takes it: the bar advances with the worker's status text, then the answer shows.
      await stack.startWorker();
      await expect.poll(() => page.getByTestId('analytics-task').getAttribute('data-phase'), { timeout: 30_000 }).toBe('done');
      const seen = progress.map((p) => p.phase);
      expect(seen[0]).toBe('submitting');
      expect(seen).toContain('queued');
      expect(seen).toContain('running');
      expect(seen.at(-1)).toBe('done');
      const values = progress.map((p) => p.value);
      expect(values).toEqual([...values].sort((a, b) => a - b)); // never goes back
      expect(values.at(-1)).toBe(100);
      expect(progress.some((p) => p.phase === 'running' && p.text.length > 'Working: '.length)).toBe(true);

      const petron = await contractorFigures('PETRON CORPORATION');
      expect(petron.n).toBeGreaterThan(0);
      await expect.poll(() => text(page, 'summary-count')).toBe(formatCount(petron.n));
      expect(await text(page, 'summary-total')).toBe(formatPeso(petron.total));
      expect(await text(page, 'summary-average')).toBe(formatPeso(petron.avg));

      await expect.poll(() => page.getByTestId('search-task').getAttribute('data-phase'), { timeout: 30_000 }).toBe('done');
      expect(await firstReferences(page, 5)).toEqual(await contractorReferences('PETRON CORPORATION', 'c.award_date DESC, c.reference_id', 5));
      expect(await page.$$eval('[data-testid="contracts-table"] tbody tr', (rows) => rows.length)).toBe(20);
      await screenshot(page, 'dashboard-desktop');

      // Reload: same chips, same figures, answered from the cache.
      await page.reload();
      await expect.poll(() => page.getByTestId('analytics-task').getAttribute('data-phase'), { timeout: 30_000 }).toBe('done');
      expect(await page.getByTestId('analytics-task').getAttribute('data-ticket')).toBe('CACHED');
      expect(await page.getByRole('list', { name: 'Contractors chips' }).textContent()).toContain('PETRON CORPORATION');
      expect(await text(page, 'summary-count')).toBe(formatCount(petron.n));
      expect(await text(page, 'summary-total')).toBe(formatPeso(petron.total));
      await expect.poll(() => page.getByTestId('search-task').getAttribute('data-ticket')).toBe('CACHED');
      expect(await firstReferences(page, 5)).toEqual(await contractorReferences('PETRON CORPORATION', 'c.award_date DESC, c.reference_id', 5));

      // Sorting by amount (largest first; contracts without an amount last).
      await page.getByRole('button', { name: /^Amount/ }).click();
      expect(new URL(page.url()).searchParams.get('sort')).toBe('AMOUNT.desc');
      await expect
        .poll(async () => (await page.getByTestId('search-task').getAttribute('data-phase')) === 'done' && (await firstReferences(page, 3)).join(), { timeout: 30_000 })
        .toBe((await contractorReferences('PETRON CORPORATION', 'c.amount DESC NULLS LAST, c.reference_id', 3)).join());
      expect(await page.getByRole('columnheader', { name: /Amount/ }).getAttribute('aria-sort')).toBe('descending');
    });
  });

  describe('when a bar is clicked (drill-down)', () => {
    it('opens that exact entity with its figures, nests, and goes back', async () => {
      const { page } = browser;
      const ROAD = `(c.award_title ILIKE '%road%' OR c.notice_title ILIKE '%road%')`;
      const top = async (column: string, table: string, extra = 'TRUE') => {
        const { rows } = await db.query<{ name: string }>(
          `SELECT d.name FROM contracts c JOIN ${table} d ON d.id = c.${column} WHERE ${ROAD} AND ${extra}
            GROUP BY d.name ORDER BY coalesce(sum(c.amount), 0) DESC, d.name LIMIT 1`,
        );
        return rows[0]!.name;
      };
      const figures = async (where: string, params: string[]) => {
        const { rows } = await db.query<{ n: number; total: number; avg: number; first: string; last: string }>(
          `SELECT count(*)::int AS n, coalesce(sum(c.amount), 0)::float8 AS total, coalesce(avg(c.amount), 0)::float8 AS avg,
                  to_char(min(c.award_date), 'YYYY-MM-DD') AS first, to_char(max(c.award_date), 'YYYY-MM-DD') AS last
             FROM contracts c JOIN contractors k ON k.id = c.contractor_id JOIN organizations o ON o.id = c.organization_id
            WHERE ${ROAD} AND ${where}`,
          params,
        );
        return rows[0]!;
      };
      const shows = async (f: Awaited<ReturnType<typeof figures>>) => {
        await expect.poll(() => page.getByTestId('analytics-task').getAttribute('data-phase'), { timeout: 30_000 }).toBe('done');
        await expect.poll(() => text(page, 'summary-count')).toBe(formatCount(f.n));
        expect(await text(page, 'summary-total')).toBe(formatPeso(f.total));
        expect(await text(page, 'summary-average')).toBe(formatPeso(f.avg));
        expect(await text(page, 'summary-first')).toBe(formatDate(f.first));
        expect(await text(page, 'summary-last')).toBe(formatDate(f.last));
      };
      /** Clicks the first (largest) bar of a top-N chart where it is drawn, as a person would. */
      const clickFirstBar = async (testId: string) => {
        const canvas = page.getByTestId(testId);
        await expect.poll(() => canvas.getAttribute('data-bars')).not.toBeNull();
        const [x, y] = (JSON.parse((await canvas.getAttribute('data-bars'))!) as [number, number][])[0]!;
        await canvas.click({ position: { x: x - 4, y } });
      };

      await page.goto(`${base}?keyword=road`);
      await expect.poll(() => page.getByTestId('analytics-task').getAttribute('data-phase'), { timeout: 30_000 }).toBe('done');
      expect(await text(page, 'dataset')).toContain(`${formatCount(3000)} contracts`);

      const contractor = await top('contractor_id', 'contractors');
      await clickFirstBar('top-contractor');
      await expect.poll(() => text(page, 'entity-title')).toBe(`Contractor: ${contractor}`);
      expect(new URL(page.url()).searchParams.getAll('entity')).toEqual([`CONTRACTOR:${contractor}`]);
      const one = await figures('k.name = $1', [contractor]);
      await shows(one);
      expect(await page.getByTestId('top-contractor').count()).toBe(0); // one contractor: no chart of contractors

      // Nested: the organization that paid this contractor most.
      const organization = await top('organization_id', 'organizations', `c.contractor_id = (SELECT id FROM contractors WHERE name = '${contractor.replace(/'/g, "''")}')`);
      await clickFirstBar('top-organization');
      await expect.poll(() => text(page, 'entity-title')).toBe(`Organization: ${organization}`);
      await shows(await figures('k.name = $1 AND o.name = $2', [contractor, organization]));
      expect(await page.getByRole('navigation', { name: 'Drill-down path' }).textContent()).toContain(`Contractor: ${contractor}`);
      await screenshot(page, 'dashboard-drill-down');

      // Back (the browser's), then the page's own Back to everything.
      await page.goBack();
      await expect.poll(() => text(page, 'entity-title')).toBe(`Contractor: ${contractor}`);
      await shows(one);
      await page.getByRole('button', { name: '← Back' }).click();
      await expect.poll(() => page.getByTestId('entity-title').count()).toBe(0);
      await shows(await figures('TRUE', []));
    });
  });

  describe('when the contracts are exported', () => {
    it('shows the export task and downloads the CSV of every matching contract', async () => {
      const { page } = browser;
      await page.goto(`${base}?contractor=PETRON+CORPORATION`);
      await expect.poll(() => page.getByTestId('search-task').getAttribute('data-phase'), { timeout: 30_000 }).toBe('done');
      const downloading = page.waitForEvent('download', { timeout: 60_000 });
      await page.getByRole('button', { name: 'Download contracts (CSV)' }).click();
      const download = await downloading;
      expect(download.suggestedFilename()).toMatch(/^kontrata-contracts-\d{4}-\d{2}-\d{2}\.csv$/);
      const csv = readFileSync((await download.path())!, 'utf8');
      expect(csv.charCodeAt(0)).toBe(0xfeff); // byte-order mark
      const lines = csv.slice(1).split('\r\n').filter((line) => line !== '');
      expect(lines[0]).toBe('reference_id,award_date,award_title,notice_title,contractor,organization,area,business_category,procurement_mode,amount,approved_budget');
      const { n } = await contractorFigures('PETRON CORPORATION');
      expect(lines.length - 1).toBe(n);
      const firstRefs = await contractorReferences('PETRON CORPORATION', 'c.award_date DESC, c.reference_id', 3);
      expect(lines.slice(1, 4).map((line) => line.split(',')[0])).toEqual(firstRefs);
      await expect.poll(() => page.getByTestId('export-contracts').getAttribute('data-phase')).toBe('done');
      expect(await page.getByTestId('export-contracts').textContent()).toContain(`${formatCount(n)} rows`);

      // The table view exports one row per name of its dimension.
      await page.getByRole('button', { name: 'Organizations table' }).click();
      await expect.poll(() => page.getByTestId('table-task').getAttribute('data-phase'), { timeout: 30_000 }).toBe('done');
      const tableDownload = page.waitForEvent('download', { timeout: 60_000 });
      await page.getByRole('button', { name: 'Download organizations (CSV)' }).click();
      const groups = readFileSync((await (await tableDownload).path())!, 'utf8').slice(1).split('\r\n').filter((line) => line !== '');
      expect(groups[0]).toBe('label,count,total_value,avg_value');
      const { rows: expected } = await db.query<{ name: string; n: number; total: string }>(
        `SELECT o.name, count(*)::int AS n, to_char(coalesce(sum(c.amount), 0), 'FM999999999990.00') AS total
           FROM contracts c JOIN contractors k ON k.id = c.contractor_id JOIN organizations o ON o.id = c.organization_id
          WHERE k.name = 'PETRON CORPORATION' GROUP BY o.name ORDER BY sum(c.amount) DESC NULLS LAST, o.name`,
      );
      expect(groups.slice(1).map((line) => line.split(',').slice(0, 3).join(','))).toEqual(expected.map((r) => `${r.name},${r.n},${r.total}`));
    });
  });

  describe('when the table view of a dimension is opened', () => {
    it('lists every group of the filter with exact counts and totals, sortable', async () => {
      const { page } = browser;
      await page.goto(`${base}?keyword=road`);
      await page.getByRole('button', { name: 'Contractors table' }).click();
      await expect.poll(() => page.getByTestId('table-task').getAttribute('data-phase'), { timeout: 30_000 }).toBe('done');
      const { rows } = await db.query<{ name: string; n: number; total: number }>(
        `SELECT k.name, count(*)::int AS n, coalesce(sum(c.amount), 0)::float8 AS total
           FROM contracts c JOIN contractors k ON k.id = c.contractor_id
          WHERE c.award_title ILIKE '%road%' OR c.notice_title ILIKE '%road%'
          GROUP BY k.name ORDER BY total DESC, k.name`,
      );
      const shown = await page.$$eval('[data-testid="dimension-table"] tbody tr', (trs) => trs.map((tr) => Array.from(tr.children, (td) => td.textContent)));
      expect(shown.map((r) => r.slice(0, 3))).toEqual(rows.map((r) => [r.name, formatCount(r.n), formatPeso(r.total)]));

      await page.getByRole('button', { name: /^Contracts/ }).click(); // sort by count, most first
      const byCount = [...rows].sort((a, b) => b.n - a.n || (a.name < b.name ? -1 : 1)).map((r) => r.name);
      await expect
        .poll(async () => (await page.getByTestId('table-task').getAttribute('data-phase')) === 'done' && (await page.$$eval('[data-testid="dimension-table"] tbody tr', (trs) => trs.map((tr) => tr.children[0]?.textContent))).join('|'), { timeout: 30_000 })
        .toBe(byCount.join('|'));
      expect(new URL(page.url()).searchParams.get('table')).toBe('CONTRACTOR');
    });
  });

  describe('when a time range is impossible', () => {
    it('shows the API\'s BAD_USER_INPUT message next to the award-date field', async () => {
      const { page } = browser;
      await page.goto(base);
      const dates = page.getByRole('group', { name: 'Award date' });
      await dates.getByRole('combobox', { name: 'Kind of range' }).selectOption('dates');
      await dates.getByLabel('From').fill('2024-05-01');
      await dates.getByLabel('To').fill('2024-01-01');
      await dates.getByRole('button', { name: 'Add range' }).click();
      const error = dates.getByRole('alert');
      await expect.poll(() => error.textContent(), { timeout: 15_000 }).toBe('Time range 1 (from): 2024-05-01 is after to (2024-01-01)');
      expect(new URL(page.url()).searchParams.get('time')).toBe('2024-05-01..2024-01-01');
      expect(await page.getByTestId('analytics-task-error').count()).toBe(0); // shown at the field, not as a general failure
    });
  });

  describe('when checked with axe-core', () => {
    it('has no WCAG 2.1 A/AA violation on a filtered dashboard', async () => {
      const { page } = browser;
      await page.goto(`${base}?contractor=PETRON+CORPORATION&time=2023`);
      await expect.poll(() => page.getByTestId('analytics-task').getAttribute('data-phase'), { timeout: 30_000 }).toBe('done');
      await expect.poll(() => page.getByTestId('search-task').getAttribute('data-phase'), { timeout: 30_000 }).toBe('done');
      await page.addScriptTag({ path: createRequire(import.meta.url).resolve('axe-core/axe.min.js') });
      const violations = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: Array<{ id: string; nodes: unknown[] }> }> } }).axe;
        const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
        return result.violations.map((v) => `${v.id} (${v.nodes.length})`);
      });
      expect(violations).toEqual([]);
    });
  });

  describe('on a 390-px phone screen', () => {
    it('fits the width (tables scroll inside their box) and shows the same figures', async () => {
      const phone = await launchBrowser({ width: 390, height: 844 });
      try {
        const { page } = phone;
        await page.goto(`${base}?contractor=PETRON+CORPORATION`);
        await expect.poll(() => page.getByTestId('analytics-task').getAttribute('data-phase'), { timeout: 30_000 }).toBe('done');
        await expect.poll(() => page.getByTestId('search-task').getAttribute('data-phase'), { timeout: 30_000 }).toBe('done');
        const petron = await contractorFigures('PETRON CORPORATION');
        expect(await text(page, 'summary-count')).toBe(formatCount(petron.n));
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
        await screenshot(page, 'dashboard-phone');
        // One screen of answers, as a phone shows them after scrolling past the filters.
        await page.getByRole('navigation', { name: 'Views' }).evaluate((nav) => nav.scrollIntoView());
        await screenshot(page, 'dashboard-phone-answers', { fullPage: false });
      } finally {
        await phone.close();
      }
    });
  });
});
