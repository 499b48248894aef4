import { watch, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';

/**
 * Calls `onChange` after the file changes. fs.watch on the directory catches editors that
 * replace the file by rename; events are debounced because one save fires several; a periodic
 * stat (size, mtime, inode) catches what fs.watch misses on network and container filesystems.
 */
export function watchFile(options: {
  path: string;
  debounceMs: number;
  pollIntervalMs: number;
  onChange: () => void;
}): () => void {
  let timer: NodeJS.Timeout | undefined;
  let lastSignature = '';
  let closed = false;
  const schedule = (): void => {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      void signature(options.path).then((value) => {
        lastSignature = value;
        if (!closed) options.onChange();
      });
    }, options.debounceMs);
    timer.unref();
  };
  let watcher: FSWatcher | undefined;
  try {
    const name = basename(options.path);
    watcher = watch(dirname(options.path), { persistent: false }, (_event, file) => {
      if (file === null || file === name) schedule();
    });
    watcher.on('error', () => watcher?.close());
  } catch {
    // The directory may not exist yet; polling covers it.
  }
  void signature(options.path).then((value) => (lastSignature = value));
  const poll = setInterval(() => {
    void signature(options.path).then((value) => {
      if (value !== lastSignature) {
        lastSignature = value;
        schedule();
      }
    });
  }, options.pollIntervalMs);
  poll.unref();
  return () => {
    closed = true;
    clearTimeout(timer);
    clearInterval(poll);
    watcher?.close();
  };
}

async function signature(path: string): Promise<string> {
  try {
    const info = await stat(path, { bigint: true });
    return `${info.ino}:${info.size}:${info.mtimeNs}`;
  } catch {
    return 'missing';
  }
}
