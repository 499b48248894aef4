import { open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { TaskLaunchSpec, TaskStatus } from '../core/protocol.js';

/** One task as the checkpoint keeps it: enough to find its process again after a restart. */
export interface CheckpointEntry {
  readonly spec: TaskLaunchSpec;
  readonly status: TaskStatus;
  /** The wrapper's pid, which is also the task's process group id. */
  readonly pid: number | undefined;
  /** Field 22 of /proc/<pid>/stat, so a recycled pid is not taken for the task. */
  readonly processStartTime: string | undefined;
  readonly killRequested: boolean;
}

interface CheckpointFile {
  readonly version: 1;
  readonly tasks: readonly CheckpointEntry[];
}

/**
 * Writes the checkpoint so that a crash at any instant leaves either the old or the new file:
 * write a temporary file, fsync it, rename it over the old one, then fsync the folder so the
 * rename itself is durable.
 */
export async function writeCheckpoint(
  path: string,
  tasks: readonly CheckpointEntry[],
): Promise<void> {
  const content: CheckpointFile = { version: 1, tasks };
  const temporary = `${path}.tmp`;
  const file = await open(temporary, 'w', 0o600);
  try {
    await file.writeFile(JSON.stringify(content));
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temporary, path);
  try {
    const folder = await open(dirname(path), 'r');
    try {
      await folder.sync();
    } finally {
      await folder.close();
    }
  } catch {
    // Some file systems refuse fsync on a folder; the rename is then as durable as they allow.
  }
}

/** Reads the checkpoint; a missing file means a fresh agent. A corrupt file is an error. */
export async function readCheckpoint(path: string): Promise<CheckpointEntry[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const parsed = JSON.parse(text) as Partial<CheckpointFile>;
  if (parsed.version !== 1 || !Array.isArray(parsed.tasks)) {
    throw new Error(`checkpoint ${path} has an unknown format`);
  }
  return [...(parsed.tasks as CheckpointEntry[])];
}

/**
 * Serialises checkpoint writes: a change during a write schedules exactly one more write with
 * the newest state, so the file never goes back in time and writes never pile up.
 */
export class CheckpointWriter {
  private writing: Promise<void> | undefined;
  private pending = false;

  constructor(
    private readonly path: string,
    private readonly snapshot: () => CheckpointEntry[],
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Requests a write of the current state; resolves once a write that includes it is done. */
  save(): Promise<void> {
    if (this.writing) {
      this.pending = true;
      return this.writing.then(() => this.flushed());
    }
    this.writing = this.loop();
    return this.writing;
  }

  /** Resolves when no write is in progress. */
  async flushed(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async loop(): Promise<void> {
    try {
      do {
        this.pending = false;
        try {
          await writeCheckpoint(this.path, this.snapshot());
        } catch (error) {
          this.onError(error);
        }
      } while (this.pending);
    } finally {
      this.writing = undefined;
    }
  }
}
