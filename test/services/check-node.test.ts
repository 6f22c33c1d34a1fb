// The Node.js version check that runs before anything else (package.json scripts).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { minimumOf, nodeVersionProblem } from '../../src/services/check-node.mjs';

const engines = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { engines: { node: string } }).engines;

describe('nodeVersionProblem', () => {
  it('reads the engines range of package.json', () => {
    expect(minimumOf(engines.node)).toEqual([20, 19, 0]);
  });

  it('accepts the minimum and anything newer', () => {
    for (const version of ['v20.19.0', 'v20.20.2', 'v21.0.0', 'v22.15.1']) expect(nodeVersionProblem(version, '>=20.19')).toBeNull();
  });

  it('names the required and the running version when older', () => {
    for (const version of ['v20.18.3', 'v18.20.0', 'v16.0.0']) {
      const problem = nodeVersionProblem(version, '>=20.19');
      expect(problem).toContain(`Kontrata needs Node.js >=20.19 (package.json "engines"); this is Node.js ${version}.`);
      expect(problem).toContain('nvm install 20');
    }
  });

  it('leaves ranges it does not read to Node', () => {
    expect(nodeVersionProblem('v10.0.0', '^20.19 || >=22')).toBeNull();
  });
});
