import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, createPostgresDb, secretValuesFromEnv, type Db } from '@jbot/core';
import { freshDatabase, type TestDatabase } from '@jbot/testkit';
import { ConnectorError, createConnectors } from '@jbot/connectors';

// A Meta app token (`<app id>|<app secret>`): the SDK puts it in the query string, URL-encoded.
const META_TOKEN = '1234567890123|Zq8cAnArYs3cretValue';
const TAIL = 'Zq8cAnArYs3cretValue';

// A logged vendor failure must be findable by its class and must not carry the token in any form.
describe('a logged ConnectorError', () => {
  let database: TestDatabase;
  let db: Db;
  let graph: Server;
  const requests: string[] = [];

  beforeAll(async () => {
    database = await freshDatabase();
    db = createPostgresDb({ url: database.url, poolMax: 2 });
    // The Graph API's answer to a token it cannot parse (wire shape from Meta's error docs).
    graph = createServer((request, response) => {
      requests.push(request.url ?? '');
      response.writeHead(400, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          error: { message: 'Invalid OAuth access token - Cannot parse access token', type: 'OAuthException', code: 190, fbtrace_id: 'AbCdEf' },
        }),
      );
    });
    await new Promise<void>((resolve) => graph.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise((resolve) => graph.close(resolve));
    await db.close();
    await database.drop();
  });

  it('says ConnectorError, with its code, facts and the SDK error as a typed cause, and no token', async () => {
    const env = { META_ACCESS_TOKEN: META_TOKEN, META_AD_ACCOUNT_ID: 'act_1001', META_API_BASE: `http://127.0.0.1:${(graph.address() as AddressInfo).port}` };
    const { ads } = createConnectors({ db, env });
    const thrown = await ads.listCampaigns().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(thrown).toBeInstanceOf(ConnectorError);
    // The token did travel URL-encoded, as the SDK sends it.
    expect(requests[0]).toContain(`access_token=${encodeURIComponent(META_TOKEN)}`);

    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(chunk.toString());
        callback();
      },
    });
    createLogger({ secrets: secretValuesFromEnv(env), destination, base: { bot: 'mktgbot' } }).error({ err: thrown }, 'campaign sync failed');
    const entry = JSON.parse(lines[0] ?? '{}') as {
      err: {
        type: string;
        code: string;
        facts: Record<string, unknown>;
        message: string;
        stack: string;
        cause: { type: string; message: string; url: string };
      };
    };
    expect(entry.err.type).toBe('ConnectorError');
    expect(entry.err.code).toBe('meta_request_failed');
    expect(entry.err.facts).toEqual({ operation: 'campaigns list' });
    expect(entry.err.message).toMatch(/^Meta campaigns list failed: Invalid OAuth access token/);
    expect(entry.err.stack).toMatch(/^ConnectorError: Meta campaigns list failed/);
    expect(entry.err.cause).toMatchObject({ type: 'FacebookRequestError', message: 'Invalid OAuth access token - Cannot parse access token' });
    // The SDK's error holds the request URL: kept for the operator, with the token scrubbed.
    expect(entry.err.cause.url).toMatch(/\/act_1001\/campaigns\?.*access_token=\[redacted\]/);
    expect(lines[0]).not.toContain(TAIL);
  });
});
