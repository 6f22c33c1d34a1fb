// Progress display for the data CLIs: a cli-progress bar on a terminal; on a pipe or in
// CI, one plain line per phase instead of a bar redrawn in place.
import cliProgress from 'cli-progress';

export type ProgressDisplay = { update(done: number, total: number, message: string): void; stop(): void };

/** Creates a progress display on stdout; `format` renders `done`/`total` as text (e.g. "12.3/56.0 MB"). */
export function createProgressDisplay(format: (done: number, total: number) => string): ProgressDisplay {
  if (!process.stdout.isTTY) {
    let lastPhase = '';
    return {
      update: (_done, _total, message) => {
        const phase = message.split(' ')[0] ?? '';
        if (phase !== lastPhase) console.log(message);
        lastPhase = phase;
      },
      stop: () => {},
    };
  }
  const bar = new cliProgress.SingleBar(
    { format: '{bar} {percentage}% | {amount} | {message}', hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update: (done, total, message) => {
      const payload = { amount: format(done, total), message };
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
