import type { LogStream, TaskLogOptions, TaskLogRead } from '@exosphere/client';

/** Bytes read back per wanted line for --tail (lines are rarely longer). */
const tailBytesPerLine = 1024;

/** The two ways to read a task's log: app tasks through the client, job tasks through client.jobs. */
export interface LogSource {
  read(taskId: string, options: Omit<TaskLogOptions, 'follow'>): Promise<TaskLogRead>;
  chunks(taskId: string, options: TaskLogOptions): AsyncIterable<string>;
}

/** Prints a task log: the last `tail` lines (if asked), then the rest, following if asked. */
export async function printTaskLog(
  source: LogSource,
  options: {
    taskId: string;
    stream: LogStream;
    tail: number | undefined;
    follow: boolean;
    signal: AbortSignal;
    write: (text: string) => void;
  },
): Promise<void> {
  let offset = 0;
  if (options.tail !== undefined) {
    const bytes = Math.min(1024 * 1024, Math.max(64 * 1024, options.tail * tailBytesPerLine));
    const read = await source.read(options.taskId, {
      stream: options.stream,
      offset: -bytes,
      signal: options.signal,
    });
    const text = lastLines(read.text, options.tail);
    if (text) options.write(text);
    offset = read.endOffset;
    if (!options.follow) return;
  }
  for await (const chunk of source.chunks(options.taskId, {
    stream: options.stream,
    offset,
    follow: options.follow,
    signal: options.signal,
  })) {
    options.write(chunk);
  }
}

/** The last `count` lines of `text`, keeping a final newline. */
export function lastLines(text: string, count: number): string {
  if (count === 0 || text === '') return '';
  const endsWithNewline = text.endsWith('\n');
  const lines = (endsWithNewline ? text.slice(0, -1) : text).split('\n');
  return lines.slice(-count).join('\n') + (endsWithNewline ? '\n' : '');
}
