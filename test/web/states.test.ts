// States a person must be told about honestly: a lost connection while a task runs (the
// page says so, reconnects, resubscribes and still gets the answer) and RATE_LIMITED (the
// wait is shown). One deployment with a small submission budget per client; each test is
// its own client (X-Forwarded-For, trusted here), and the browser reaches the API through a
// TCP proxy that can cut every connection, as a network failure does.
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild } from '../../src/server/web-build.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { launchBrowser, type Browser } from './browser.js';

let stack: Stack;
let base: string;
let browser: Browser;
let proxy: Proxy;

type Proxy = { url: string; cut: (forMs: number) => void; close: () => Promise<void> };

/** A TCP proxy to `target`; cut() destroys every connection and refuses new ones for a while. */
async function startProxy(target: URL): Promise<Proxy> {
  const sockets = new Set<Socket>();
  let refuseUntil = 0;
  const server: Server = createServer((client) => {
    if (Date.now() < refuseUntil) return client.destroy();
    const upstream = connect(Number(target.port), target.hostname);
    for (const [a, b] of [[client, upstream], [upstream, client]] as const) {
      sockets.add(a);
      a.on('close', () => sockets.delete(a));
      a.on('error', () => b.destroy());
      a.pipe(b);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    cut: (forMs) => {
      refuseUntil = Date.now() + forMs;
      for (const socket of sockets) socket.destroy();
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

beforeAll(async () => {
  await ensureWebBuild(() => {});
  stack = await startStack('web_states', { contracts: 500, env: { SUBMIT_RATE_LIMIT: '4', TRUST_PROXY: 'true' } });
  proxy = await startProxy(new URL(stack.url));
  base = proxy.url;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await proxy?.close();
  await stack?.stop();
});

describe('dashboard states', () => {
  describe('when the connection drops while a task waits', () => {
    it('says so, reconnects, resubscribes and shows the answer', async () => {
      const { page } = browser;
      await page.setExtraHTTPHeaders({ 'x-forwarded-for': '203.0.113.1' });
      let subscribed = 0; // taskProgress answers (the task's current state) over the WebSocket
      page.on('websocket', (ws) => ws.on('framereceived', (frame) => void (String(frame.payload).includes('"taskProgress"') && subscribed++)));
      await stack.stopWorkers();
      await page.goto(`${base}?keyword=road`); // 2 submissions: analytics and search
      await expect.poll(() => page.getByTestId('analytics-task').getAttribute('data-phase'), { timeout: 15_000 }).toBe('queued');
      await expect.poll(() => subscribed, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
      proxy.cut(3000);
      await expect.poll(() => page.getByTestId('connection-lost').isVisible(), { timeout: 10_000 }).toBe(true);
      // The task finishes while the page is disconnected: it learns the outcome on resubscribing.
      await stack.startWorker();
      await expect.poll(() => subscribed, { timeout: 30_000 }).toBeGreaterThanOrEqual(4);
      await expect.poll(() => page.getByTestId('analytics-task').getAttribute('data-phase'), { timeout: 60_000 }).toBe('done');
      await expect.poll(() => page.getByTestId('connection-lost').count()).toBe(0);
      expect(await page.getByTestId('summary-count').textContent()).not.toBe('');
    });
  });

  describe('when the submission budget is spent', () => {
    it('shows RATE_LIMITED with the wait', async () => {
      const { page } = browser;
      if (stack.workers.length === 0) await stack.startWorker(); // stopWorkers() empties the list
      await page.setExtraHTTPHeaders({ 'x-forwarded-for': '203.0.113.2' });
      await page.goto(`${base}?keyword=school`); // submissions 1 and 2
      await expect.poll(() => page.getByTestId('analytics-task').getAttribute('data-phase'), { timeout: 30_000 }).toBe('done');
      await page.goto(`${base}?keyword=bridge`); // 3 and 4
      await expect.poll(() => page.getByTestId('analytics-task').getAttribute('data-phase'), { timeout: 30_000 }).toBe('done');
      await page.goto(`${base}?keyword=flood`); // 5: over the budget
      const error = page.getByTestId('analytics-task-error');
      await expect.poll(() => error.getAttribute('data-code'), { timeout: 15_000 }).toBe('RATE_LIMITED');
      expect(await error.textContent()).toMatch(/Too many requests from this address\. Trying again in \d+ s\./);
    });
  });
});
