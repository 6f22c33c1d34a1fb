// GraphiQL at /graphql works without internet: every request to anything but the API is
// blocked, and the editor still renders with Kontrata's example tabs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../helpers/stack.js';
import { launchBrowser, screenshot, type Browser } from './browser.js';

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  stack = await startStack('web_graphiql', { contracts: 50, workers: 0 });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('GraphiQL', () => {
  describe('when the network beyond the API is blocked', () => {
    it('renders its editor with the example tabs from assets the API serves', async () => {
      const { page, context } = browser;
      const origin = new URL(stack.url).origin;
      const blocked: string[] = [];
      await context.route('**/*', (route) => {
        const url = route.request().url();
        if (url.startsWith(`${origin}/`) || url.startsWith('blob:') || url.startsWith('data:')) return route.continue();
        blocked.push(url);
        return route.abort('internetdisconnected');
      });
      const response = await page.goto(stack.url, { waitUntil: 'load' });
      expect(response?.status()).toBe(200);
      const editor = page.locator('.graphiql-container .graphiql-query-editor');
      await expect.poll(() => editor.isVisible(), { timeout: 30_000 }).toBe(true);
      // Monaco draws spaces as no-break spaces.
      const text = async () => (await page.locator('.graphiql-query-editor').textContent())?.replace(/\u00a0/g, ' ');
      await expect.poll(text, { timeout: 30_000 }).toContain('mutation SubmitSearch {');
      expect(await page.title()).toBe('Kontrata: PhilGEPS contract awards');
      expect(await page.getByRole('tab').count()).toBeGreaterThanOrEqual(5);
      expect(blocked).toEqual([]);
      await screenshot(page, 'graphiql');
    });
  });
});
