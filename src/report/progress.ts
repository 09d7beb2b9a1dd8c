/** A one-line progress display on stderr while collecting (only when stderr is a terminal). */
import type { ProgressEvent } from '../collect/common.ts';

export function createProgress(stream: NodeJS.WriteStream): {
  onEvent: (e: ProgressEvent) => void;
  done: () => void;
} {
  const done = new Map<string, number>();
  const running = new Map<string, number>();
  let gaps = 0;
  let items = 0;
  let last = 0;
  const render = (force = false) => {
    const now = Date.now();
    if (!force && now - last < 100) return;
    last = now;
    const regions = [...new Set([...done.keys(), ...running.keys()])].sort();
    const parts = regions.map(
      (r) => `${r} ${done.get(r) ?? 0}/${(done.get(r) ?? 0) + (running.get(r) ?? 0)}`,
    );
    const line = `collecting: ${parts.join(' · ')} · ${items} resources${gaps ? ` · ${gaps} gap${gaps > 1 ? 's' : ''}` : ''}`;
    stream.write(`\r\x1b[K${line.slice(0, (stream.columns || 120) - 1)}`);
  };
  return {
    onEvent(e) {
      if (e.type === 'kind-start') running.set(e.region, (running.get(e.region) ?? 0) + 1);
      else if (e.type === 'kind-done') {
        running.set(e.region, (running.get(e.region) ?? 1) - 1);
        done.set(e.region, (done.get(e.region) ?? 0) + 1);
        items += e.count;
      } else gaps++;
      render();
    },
    done() {
      render(true);
      stream.write('\n');
    },
  };
}
