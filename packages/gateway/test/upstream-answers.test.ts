import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { httpRequest, simpleConfig, startTestGateway } from './helpers.js';
import { freePort, nginxMissing, startNginxUpstream } from './nginx-upstream.js';

// A GET that fails is retried on another target (retries.count defaults to 1). With only one
// target there is no other: the client gets what that target said, as from nginx's own
// proxy_pass, on both data paths.
for (const dataPath of ['fast', 'node'] as const) {
  describe(`one target, data path ${dataPath}`, { skip: nginxMissing }, () => {
    it("relays the upstream's own 502/503 answers instead of a 503 of its own", async () => {
      const nginx = await startNginxUpstream(`
    location = /maintenance {
      add_header Retry-After 7 always;
      default_type text/plain;
      return 503 "down for maintenance\\n";
    }
    location = /bad { default_type text/plain; return 502 "the app behind failed\\n"; }`);
      const gateway = await startTestGateway(simpleConfig([nginx.url]), { dataPath });
      try {
        for (let i = 0; i < 3; i++) {
          const maintenance = await httpRequest(`${gateway.url}/maintenance`);
          assert.equal(maintenance.status, 503);
          assert.equal(maintenance.headers['retry-after'], '7');
          assert.equal(maintenance.body, 'down for maintenance\n');
          const bad = await httpRequest(`${gateway.url}/bad`);
          assert.equal(bad.status, 502);
          assert.equal(bad.body, 'the app behind failed\n');
        }
      } finally {
        await gateway.close();
        await nginx.stop();
      }
    });

    it('answers 502 naming the connection error when the only target refuses', async () => {
      const dead = `http://127.0.0.1:${await freePort()}`;
      const gateway = await startTestGateway(simpleConfig([dead]), { dataPath });
      try {
        for (let i = 0; i < 3; i++) {
          const answer = await httpRequest(`${gateway.url}/x`);
          assert.equal(answer.status, 502);
          assert.equal(answer.body.code, 'EXO_GATEWAY_BAD_GATEWAY');
          assert.match(answer.body.message, /ECONNREFUSED/);
        }
      } finally {
        await gateway.close();
      }
    });
  });
}
