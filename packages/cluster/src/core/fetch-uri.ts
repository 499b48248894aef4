import { z } from 'zod';

/**
 * What the agent's fetcher can fetch (agent/fetcher.ts): http and https URLs, file URLs and
 * absolute paths on the agent. Checked when an app or job is written, so a URI that could
 * never be fetched is a 422 naming the field rather than a task that fails on every launch.
 */
export function fetchUriProblem(uri: string): string | undefined {
  if (uri.startsWith('/')) return undefined;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(uri)?.[1]?.toLowerCase();
  if (scheme === undefined) return 'must be an http, https or file URL, or an absolute path';
  if (scheme === 'http' || scheme === 'https' || scheme === 'file') return undefined;
  return `the scheme ${scheme} cannot be fetched here: use http, https or file`;
}

/** An `outputFile` names one file in the sandbox. */
export function outputFileProblem(name: string): string | undefined {
  return name === '' || name === '.' || name === '..' || name.includes('/')
    ? 'must be a file name without "/"'
    : undefined;
}

/** One entry of Marathon's `fetch` or Metronome's `run.artifacts`, with Mesos' defaults. */
export const fetchUriSchema = z.object({
  uri: z.string().superRefine((uri, context) => {
    const problem = fetchUriProblem(uri);
    if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
  }),
  outputFile: z
    .string()
    .superRefine((name, context) => {
      const problem = outputFileProblem(name);
      if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
    })
    .optional(),
  extract: z.boolean().default(true),
  executable: z.boolean().default(false),
  cache: z.boolean().default(false),
});
