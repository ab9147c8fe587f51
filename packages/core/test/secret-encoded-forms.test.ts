import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BrainConnectionError, BrainCallError, createLogger, printableText, scrubString, secretValuesFromEnv } from '@jbot/core';

// A Meta app token is `<app id>|<app secret>`; the SDK sends it as a query parameter.
const META_TOKEN = '1234567890123|Zq8-cAnArY_s3cret.value';
const TAIL = 'Zq8-cAnArY_s3cret';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString());
      callback();
    },
  });
  return { lines, destination };
}

describe('secrets in encoded form', () => {
  const secrets = secretValuesFromEnv({ META_ACCESS_TOKEN: META_TOKEN, DATABASE_URL: 'postgres://fleet:p%40ss%20w0rd+1@db.example.com/postgres' });

  it('scrubs the raw, URL-encoded, form-encoded, lower-case and twice-encoded forms', () => {
    const forms = [
      META_TOKEN,
      encodeURIComponent(META_TOKEN),
      new URLSearchParams({ access_token: META_TOKEN }).toString().slice('access_token='.length),
      encodeURIComponent(META_TOKEN).replace('%7C', '%7c'),
      encodeURIComponent(encodeURIComponent(META_TOKEN)),
    ];
    for (const form of forms) {
      const scrubbed = scrubString(`GET /v24.0/act_1/campaigns?fields=id&access_token=${form}&limit=200`, secrets);
      expect(scrubbed, form).toBe('GET /v24.0/act_1/campaigns?fields=id&access_token=[redacted]&limit=200');
    }
    // The URL password, decoded (p@ss w0rd+1) and in a form body (space as +, @ as %40).
    expect(scrubString('password=p%40ss+w0rd%2B1 and p@ss w0rd+1 and p%40ss%20w0rd+1', secrets)).toBe('password=[redacted] and [redacted] and [redacted]');
    // Ordinary text that only shares letters with a secret is left alone.
    expect(scrubString('Zq8 cAnArY s3cret', secrets)).toBe('Zq8 cAnArY s3cret');
  });

  it('keeps encoded tokens out of every part of a log line', () => {
    const { lines, destination } = capture();
    const log = createLogger({ secrets, destination });
    const url = `https://graph.facebook.com/v24.0/act_1/campaigns?access_token=${encodeURIComponent(META_TOKEN)}`;
    log.warn({ request: { url } }, `GET ${url} failed`);
    log.error(new Error(`request to ${url} failed`));
    log.error({ err: new Error(`request to ${url} failed`) });
    log.info('calling %s', url);
    const output = lines.join('');
    expect(output).not.toContain(TAIL);
    expect(lines).toHaveLength(4);
    for (const line of lines) expect(line).toContain('access_token=[redacted]');
  });
});

describe('a logged error keeps its class', () => {
  it('says BrainConnectionError, with its code, facts, stack and a typed cause, still scrubbed', () => {
    const { lines, destination } = capture();
    const log = createLogger({ secrets: [META_TOKEN], destination });
    const cause = new BrainCallError('db_now', `refused for token ${META_TOKEN}`);
    log.error({ err: new BrainConnectionError(`cannot reach the brain (${encodeURIComponent(META_TOKEN)})`, { cause }) }, 'brain down');
    const entry = JSON.parse(lines[0] ?? '{}') as { err: Record<string, unknown> & { cause: Record<string, unknown> } };
    expect(entry.err['type']).toBe('BrainConnectionError');
    expect(entry.err['code']).toBe(new BrainConnectionError('x').code);
    expect(entry.err['stack']).toMatch(/^BrainConnectionError: cannot reach the brain \(\[redacted\]\)/);
    expect(entry.err.cause['type']).toBe('BrainCallError');
    expect(lines[0]).not.toContain(TAIL);
  });

  it('keeps the class also when no secret is configured', () => {
    const { lines, destination } = capture();
    createLogger({ destination }).error({ err: new BrainConnectionError('down') }, 'brain down');
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ err: { type: 'BrainConnectionError', message: 'down' } });
  });
});

describe('printableText', () => {
  it('replaces C0 and C1 controls but newline and tab with visible stand-ins', () => {
    const name = 'Acme\u001b]0;pwned\u0007\u001b[2J\u001b]52;c;cm0gLXJmIH4K\u0007\u009b31m\r\u007f\tok\nnext';
    expect(printableText(name)).toBe('Acme␛]0;pwned␇␛[2J␛]52;c;cm0gLXJmIH4K␇\ufffd31m␍␡\tok\nnext');
    expect(printableText('Café — “déjà vu” 🚚')).toBe('Café — “déjà vu” 🚚');
  });
});
