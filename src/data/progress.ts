// Progress display for the data CLIs: a cli-progress bar on a terminal; on a pipe or in
// CI, plain lines instead of a bar redrawn in place: one per phase, and every 10 s.
import cliProgress from 'cli-progress';

export type ProgressDisplay = { update(done: number, total: number, message: string): void; stop(): void };

/** Creates a progress display on stdout; `format`, if given, renders `done`/`total` as text (e.g. "12.3/56.0 MB"). */
export function createProgressDisplay(format?: (done: number, total: number) => string): ProgressDisplay {
  if (!process.stdout.isTTY) {
    let lastPhase = '';
    let lastAt = 0;
    return {
      update: (done, total, message) => {
        const phase = message.replace(/[\d,.]+/g, '#'); // "Generated 2,000 contracts" and "... 4,000 ..." are one phase
        if (phase === lastPhase && Date.now() - lastAt < 10_000) return;
        console.log(`${format ? `${format(done, total)} ` : ''}${message}`);
        lastPhase = phase;
        lastAt = Date.now();
      },
      stop: () => {},
    };
  }
  const bar = new cliProgress.SingleBar(
    { format: `{bar} {percentage}% |${format ? ' {amount} |' : ''} {duration_formatted} | {message}`, hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update: (done, total, message) => {
      const payload = { amount: format?.(done, total) ?? '', message };
      if (!started) {
        bar.start(Math.max(total, 1), done, payload);
        started = true;
      } else {
        bar.setTotal(Math.max(total, 1));
        bar.update(done, payload);
      }
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}
