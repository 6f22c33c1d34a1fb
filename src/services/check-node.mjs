// The first thing `npm start`, `npm test` and the other scripts run: is this Node.js new
// enough for package.json's "engines"? Plain JavaScript with old syntax, run by `node`
// before tsx and before any module that needs a newer Node, so that an old Node gets this
// message instead of a syntax or loader error from deep inside a dependency.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The minimum version a ">=X.Y[.Z]" range asks for, as [X, Y, Z]; null for other ranges. */
export function minimumOf(range) {
  var m = /^\s*>=\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?\s*$/.exec(range || '');
  return m ? [Number(m[1]), Number(m[2] || 0), Number(m[3] || 0)] : null;
}

/** A message for the user when `version` (e.g. "v20.18.1") is older than `range`; null when it is fine. */
export function nodeVersionProblem(version, range) {
  var minimum = minimumOf(range);
  if (!minimum) return null; // a range this check does not read: let Node try
  var have = String(version).replace(/^v/, '').split('.').map(Number);
  for (var i = 0; i < 3; i++) {
    if ((have[i] || 0) > minimum[i]) return null;
    if ((have[i] || 0) < minimum[i]) {
      return (
        'Kontrata needs Node.js ' + range.trim() + ' (package.json "engines"); this is Node.js ' + version + '.\n' +
        '  Install a newer one: with nvm, `nvm install ' + minimum[0] + '`; on macOS, `brew install node@' + minimum[0] + '`;\n' +
        '  or the current LTS from https://nodejs.org (Debian/Ubuntu: its NodeSource packages).'
      );
    }
  }
  return null;
}

// Run as a script (not imported by a test): check this Node, exit 1 with the message if too old.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  var engines = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).engines || {};
  var problem = nodeVersionProblem(process.version, engines.node);
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
}
