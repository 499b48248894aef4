import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestGateway, startUpstream, type TestGateway, type Upstream } from '../helpers.js';
import { RawClient } from './raw-client.js';

/** The heads of the responses in a raw transcript, in order (bodies are empty here). */
function heads(text: string): string[] {
  return text.split('\r\n\r\n').filter((head) => head.startsWith('HTTP/1.1'));
}

/** The field names of one response head, lower-cased (names are case-insensitive). */
function fieldNames(head: string): string[] {
  return head
    .split('\r\n')
    .slice(1)
    .map((line) => line.slice(0, line.indexOf(':')).toLowerCase());
}

describe('fast path heads: one exchange never leaks into the next', () => {
  let upstream: Upstream;
  let gateway: TestGateway;

  before(async () => {
    // Answers with the request's x-* fields renamed x-saw-*, in the case and order of a raw
    // header list, and a Keep-Alive hint that differs from one answer to the next.
    let answered = 0;
    upstream = await startUpstream('mirror', (incoming, response) => {
      const fields: string[] = [];
      for (let index = 0; index < incoming.rawHeaders.length; index += 2) {
        const name = incoming.rawHeaders[index]!;
        if (!name.toLowerCase().startsWith('x-') || name.toLowerCase().startsWith('x-forwarded'))
          continue;
        fields.push(`X-Saw-${name.slice(2)}`, incoming.rawHeaders[index + 1]!);
      }
      answered++;
      fields.push('Keep-Alive', `timeout=${answered % 2 === 0 ? 5 : 7}`, 'Content-Length', '0');
      response.writeHead(answered % 2 === 0 ? 200 : 201, fields);
      response.end();
    });
    gateway = await startTestGateway({
      upstreams: [{ name: 'mirror', targets: [{ url: upstream.url }] }],
      routes: [{ name: 'all', match: { paths: ['/*'] }, upstream: 'mirror' }],
    });
  });

  after(async () => {
    await gateway.close();
    await upstream.close();
  });

  it('pipelined requests with different fields get exactly their own fields back', async () => {
    const client = await RawClient.open(gateway.url);
    client.write(
      'GET /1 HTTP/1.1\r\nHost: x\r\nX-One: first\r\nx-shared: a\r\nX-Shared: b\r\n\r\n' +
        'GET /2 HTTP/1.1\r\nHost: x\r\nx-two: second\r\n\r\n' +
        'GET /3 HTTP/1.1\r\nHost: x\r\n\r\n' +
        'GET /4 HTTP/1.1\r\nHost: x\r\nX-Four:   padded value  \r\nConnection: close\r\n\r\n',
    );
    const answers = heads(await client.untilClosed());
    assert.equal(answers.length, 4, answers.join('\n---\n'));
    const [first, second, third, fourth] = answers as [string, string, string, string];
    // Field lines are relayed as received both ways (names in their sender's case, as nginx
    // relays them; repeated lines in order, RFC 9110 §5.3); values lose outer blanks.
    assert.match(first, /\r\nX-Saw-One: first\r\n/);
    assert.match(first, /\r\nX-Saw-shared: a\r\nX-Saw-Shared: b\r\n/);
    assert.doesNotMatch(first, /x-saw-two|x-saw-four/i);
    assert.match(second, /\r\nX-Saw-two: second\r\n/);
    assert.doesNotMatch(second, /x-saw-one|x-saw-shared|x-saw-four/i);
    assert.doesNotMatch(third, /x-saw-/i);
    assert.match(fourth, /\r\nX-Saw-Four: padded value\r\n/);
    assert.doesNotMatch(fourth, /x-saw-one|x-saw-two|x-saw-shared/i);
    for (const head of answers) {
      const names = fieldNames(head);
      // Hop-by-hop fields of the upstream never reach the client; each head has one Date.
      assert.ok(!names.includes('keep-alive'), head);
      assert.equal(names.filter((name) => name === 'date').length, 1, head);
      assert.equal(names.filter((name) => name === 'content-length').length, 1, head);
    }
    assert.match(first, /^HTTP\/1\.1 201 Created/);
    assert.match(second, /^HTTP\/1\.1 200 OK/);
    assert.match(fourth, /\r\nconnection: close$/);
    assert.doesNotMatch(first + second + third, /connection:/i);
  });
});
