import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getJson, httpRequest, simpleConfig, startTestGateway, startUpstream } from './helpers.js';

async function withUpstreams<T>(
  count: number,
  run: (urls: string[]) => Promise<T>,
  handler?: Parameters<typeof startUpstream>[1],
): Promise<T> {
  const upstreams = await Promise.all(
    Array.from({ length: count }, (_, i) => startUpstream(`u${i}`, handler)),
  );
  try {
    return await run(upstreams.map((u) => u.url));
  } finally {
    await Promise.all(upstreams.map((u) => u.close()));
  }
}

function tally(names: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of names) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}

test('round-robin follows the weights', async () => {
  await withUpstreams(2, async ([first, second]) => {
    const gateway = await startTestGateway({
      upstreams: [
        {
          name: 'backend',
          targets: [
            { url: first, weight: 3 },
            { url: second, weight: 1 },
          ],
        },
      ],
      routes: [{ name: 'all', match: { paths: ['/*'] }, upstream: 'backend' }],
    });
    try {
      const names: string[] = [];
      for (let i = 0; i < 40; i++) names.push((await getJson(`${gateway.url}/x`)).body.upstream);
      assert.deepEqual(tally(names), { u0: 30, u1: 10 });
    } finally {
      await gateway.close();
    }
  });
});

test('least-connections avoids the target that is busy', async () => {
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  const slow = await startUpstream('slow', (request, response) => {
    void held.then(() => response.end(JSON.stringify({ upstream: 'slow' })));
  });
  const fast = await startUpstream('fast');
  const gateway = await startTestGateway(
    simpleConfig([slow.url, fast.url], { loadBalancing: 'least-connections' }),
  );
  try {
    const pending = [getJson(`${gateway.url}/hold`), getJson(`${gateway.url}/hold2`)];
    // One of the two went to the slow target and stays in flight; the rest must avoid it.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const names: string[] = [];
    for (let i = 0; i < 10; i++) names.push((await getJson(`${gateway.url}/x`)).body.upstream);
    assert.deepEqual(tally(names), { fast: 10 });
    release();
    await Promise.all(pending);
  } finally {
    release();
    await gateway.close();
    await slow.close();
    await fast.close();
  }
});

test('consistent hash keeps a key on one target and spreads keys', async () => {
  await withUpstreams(3, async (urls) => {
    const gateway = await startTestGateway(
      simpleConfig(urls, { loadBalancing: 'consistent-hash', hashOn: 'header:x-user' }),
    );
    try {
      const seen = new Set<string>();
      for (let user = 0; user < 30; user++) {
        const names = new Set<string>();
        for (let i = 0; i < 3; i++)
          names.add(
            (await httpRequest(`${gateway.url}/x`, { headers: { 'x-user': `user-${user}` } })).body
              .upstream,
          );
        assert.equal(names.size, 1, `user-${user} stays on one target`);
        seen.add([...names][0]!);
      }
      assert.equal(seen.size, 3, 'keys spread over all targets');
    } finally {
      await gateway.close();
    }
  });
});
