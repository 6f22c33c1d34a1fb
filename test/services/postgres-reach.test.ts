// Run as root, a private PostgreSQL runs as the postgres OS user, which must be able to
// reach the project's ./var: letPostgresReach grants search permission where it lacks.
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { letPostgresReach } from '../../src/services/postgres-server.js';
import { asPostgresUser, isRoot, run } from '../../src/services/run.js';

describe.runIf(isRoot())('letPostgresReach (as root)', () => {
  let base: string;
  beforeAll(async () => {
    base = await mkdtemp(path.join(os.tmpdir(), 'kontrata-reach-')); // 0700, like /root
    await mkdir(path.join(base, 'project', 'var'), { recursive: true, mode: 0o700 });
  });
  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('adds o+x exactly where the postgres user is blocked, says so, and then has nothing to do', async () => {
    const varDir = path.join(base, 'project', 'var');
    const projectMode = (await stat(path.join(base, 'project'))).mode & 0o777;
    const notes = await letPostgresReach(varDir);
    const blocked = [base, ...(projectMode & 0o001 ? [] : [path.join(base, 'project')]), varDir];
    expect(notes).toEqual(blocked.map((dir) => `gave others search permission (o+x) on ${dir}, so the postgres user can reach ${varDir}`));
    const [cmd, args] = await asPostgresUser('test', ['-x', varDir]);
    expect((await run(cmd, args)).code).toBe(0);
    expect(await letPostgresReach(varDir)).toEqual([]);
  });
});
