/**
 * Structured logging: one JSON object per line on stderr (or a given sink), with time,
 * level, component and message plus fields. Cheap when a level is off.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const levelOrder: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

export interface LoggerOptions {
  level?: LogLevel;
  /** Where lines go; defaults to process.stderr. */
  write?: (line: string) => void;
  /** Fields added to every line. */
  fields?: LogFields;
  /** Time source; defaults to Date.now. */
  now?: () => number;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const minimum = levelOrder[options.level ?? parseLevel(process.env.EXO_LOG_LEVEL) ?? 'info'];
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const now = options.now ?? Date.now;
  const base = options.fields ?? {};

  function make(bound: LogFields): Logger {
    const emit = (level: LogLevel, message: string, fields?: LogFields): void => {
      if (levelOrder[level] < minimum) return;
      const record = { time: new Date(now()).toISOString(), level, message, ...bound, ...fields };
      write(JSON.stringify(record, errorReplacer) + '\n');
    };
    return {
      debug: (m, f) => emit('debug', m, f),
      info: (m, f) => emit('info', m, f),
      warn: (m, f) => emit('warn', m, f),
      error: (m, f) => emit('error', m, f),
      child: (fields) => make({ ...bound, ...fields }),
    };
  }
  return make(base);
}

/** A logger that drops everything (for tests and benchmarks). */
export function silentLogger(): Logger {
  const logger: Logger = {
    debug: () => {},
    info: () => {},
    warn: () => {},
    error: () => {},
    child: () => logger,
  };
  return logger;
}

function parseLevel(value: string | undefined): LogLevel | undefined {
  return value === 'debug' || value === 'info' || value === 'warn' || value === 'error'
    ? value
    : undefined;
}

function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    return {
      name: value.name,
      message: value.message,
      stack: value.stack,
      code: (value as { code?: unknown }).code,
    };
  }
  return value;
}
