/**
 * One Prometheus text exposition (format 0.0.4) for several workers: every sample gets a
 * `worker="<index>"` label, and the samples of one metric family stay together under one
 * HELP/TYPE pair, as the format requires. Sums across workers are left to the query
 * (`sum without (worker) (...)`), which is exact for counters and histograms.
 */
export function mergeWorkerMetrics(
  texts: ReadonlyArray<{ readonly worker: number; readonly text: string }>,
): string {
  const families = new Map<string, { header: string[]; samples: string[] }>();
  for (const { worker, text } of texts) {
    let family: { header: string[]; samples: string[] } | undefined;
    for (const line of text.split('\n')) {
      if (line === '') continue;
      const comment = /^# (HELP|TYPE) (\S+)/.exec(line);
      if (comment) {
        const name = comment[2]!;
        family = families.get(name);
        if (family === undefined) {
          family = { header: [], samples: [] };
          families.set(name, family);
        }
        if (
          family.header.length < 2 &&
          !family.header.some((seen) => seen.startsWith(`# ${comment[1]!} `))
        )
          family.header.push(line);
        continue;
      }
      if (line.startsWith('#')) continue;
      const sample = withWorkerLabel(line, worker);
      if (family === undefined) {
        // A sample before any HELP/TYPE: a family of its own, named by the sample.
        const name = /^[^{\s]+/.exec(line)?.[0] ?? line;
        family = families.get(name) ?? { header: [], samples: [] };
        families.set(name, family);
      }
      family.samples.push(sample);
    }
  }
  const lines: string[] = [];
  for (const family of families.values()) lines.push(...family.header, ...family.samples);
  return lines.join('\n') + '\n';
}

function withWorkerLabel(line: string, worker: number): string {
  const label = `worker="${worker}"`;
  const brace = line.indexOf('{');
  const space = line.indexOf(' ');
  if (brace >= 0 && (space < 0 || brace < space)) {
    const inner = line.indexOf('}', brace);
    const empty = inner === brace + 1;
    return `${line.slice(0, brace + 1)}${label}${empty ? '' : ','}${line.slice(brace + 1)}`;
  }
  if (space < 0) return line;
  return `${line.slice(0, space)}{${label}}${line.slice(space)}`;
}
