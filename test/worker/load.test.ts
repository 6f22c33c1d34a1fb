// 500 concurrent submissions of 50 distinct questions against 2 worker processes: every
// ticket's task succeeds with the right answer, and exactly 50 tasks run (one attempt each).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyticsTable, contractAnalytics, searchContracts } from '../../src/contracts/index.js';
import type { TaskKind, TaskPayloads, TaskTicket } from '../../src/tasks/index.js';
import { createHarness, type Harness } from './support/harness.js';
import type { WorkerProcess } from '../helpers/worker-process.js';

type Question = { [K in TaskKind]: { kind: K; input: TaskPayloads[K] } }[TaskKind];

/** 50 distinct questions over the three kinds. */
function questions(): Question[] {
  const words = ['road', 'flood', 'laptops', 'school', 'medical', 'lot 1', 'lot 2', 'building', 'supply', 'barangay'];
  const out: Question[] = [];
  for (let i = 0; i < 50; i++) {
    const filters = { keywords: [words[i % words.length]!] };
    if (i % 3 === 0) out.push({ kind: 'SEARCH', input: { filters, page: 1 + Math.floor(i / 10), pageSize: 5 } });
    else if (i % 3 === 1) out.push({ kind: 'ANALYTICS', input: { filters, topN: 1 + Math.floor(i / 10) } });
    else out.push({ kind: 'ANALYTICS_TABLE', input: { filters, dimension: 'AREA', page: 1, pageSize: 1 + Math.floor(i / 10) } });
  }
  return out;
}

function direct(h: Harness, q: Question): Promise<unknown> {
  if (q.kind === 'SEARCH') return searchContracts(h.db.prisma, q.input);
  if (q.kind === 'ANALYTICS') return contractAnalytics(h.db.prisma, q.input);
  if (q.kind === 'ANALYTICS_TABLE') return analyticsTable(h.db.prisma, q.input);
  throw new Error(`no questions of kind ${q.kind} here`);
}

describe('two worker processes under load', () => {
  let h: Harness;
  let workers: WorkerProcess[];
  beforeAll(async () => {
    h = await createHarness('worker_load', { contracts: 2000, workerEnv: { WORKER_CONCURRENCY: '4' } });
    workers = await Promise.all([h.startWorker(), h.startWorker()]);
  });
  afterAll(async () => h?.teardown());

  describe('when 500 submissions of 50 distinct questions arrive at once', () => {
    it('answers every ticket correctly and runs exactly 50 tasks, each once', async () => {
      const qs = questions();
      expect(new Set(qs.map((q) => JSON.stringify(q))).size).toBe(50);
      const tickets: TaskTicket[] = await Promise.all(
        Array.from({ length: 500 }, (_, i) => {
          const q = qs[i % 50]!;
          return h.queue.submit(q.kind, q.input as never);
        }),
      );

      const taskIds = new Set(tickets.map((t) => t.taskId));
      expect(taskIds.size).toBe(50);
      expect(tickets.filter((t) => t.status === 'QUEUED')).toHaveLength(50);
      for (let i = 0; i < 50; i++) {
        expect(new Set(tickets.filter((_, j) => j % 50 === i).map((t) => t.taskId)).size).toBe(1);
      }

      const finals = await Promise.all([...taskIds].map((id) => h.waitForEnd(id, 60_000)));
      expect(finals.every((t) => t?.state === 'SUCCESS' && t.attempts === 1)).toBe(true);
      // Exactly one STARTED per task in the event stream and in the workers' own count.
      expect([...taskIds].every((id) => h.events.of(id).filter((e) => e.state === 'STARTED').length === 1)).toBe(true);
      const counters = await h.queue.counters();
      expect(counters.SEARCH.attempts + counters.ANALYTICS.attempts + counters.ANALYTICS_TABLE.attempts).toBe(50);
      expect(counters.SEARCH.states.SUCCESS + counters.ANALYTICS.states.SUCCESS + counters.ANALYTICS_TABLE.states.SUCCESS).toBe(50);
      // Both processes took part; their logs add up to the 50 attempts.
      const startedBy = workers.map((w) => w.output().split('\n').filter((l) => l.includes('"msg":"task started"')).length);
      expect(startedBy.every((n) => n > 0)).toBe(true);
      expect(startedBy[0]! + startedBy[1]!).toBe(50);

      for (let i = 0; i < 50; i++) {
        const q = qs[i]!;
        const lookup = await h.queue.getResult(tickets[i]!.cacheKey);
        expect(lookup.status).toBe('READY');
        expect(lookup.result).toEqual({ kind: q.kind, data: JSON.parse(JSON.stringify(await direct(h, q))) });
      }
    });
  });
});
