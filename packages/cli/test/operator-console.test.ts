import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { startOperatorConsole } from '../src/supervisor/operator-console.js';

// The `pnpm start` terminal forwards typed lines to jbot; piped stdin is never read.
describe('the supervisor operator console', () => {
  const run = (isTTY: boolean, running = true) => {
    const input = Object.assign(new PassThrough(), { isTTY });
    const sent: string[] = [];
    const said: string[] = [];
    const stop = startOperatorConsole({ input, send: (line) => (running ? sent.push(line) > 0 : false), say: (text) => said.push(text) });
    return { input, sent, said, stop };
  };
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  it('on a terminal: each typed line goes to jbot, blank lines do not', async () => {
    const { input, sent, stop } = run(true);
    input.write('2 follow up on both\n\n  \nstatus\n');
    await settle();
    expect(sent).toEqual(['2 follow up on both', 'status']);
    stop();
    expect(input.destroyed).toBe(true);
  });

  it('piped or redirected stdin is ignored: nothing is read or sent', async () => {
    const { input, sent, stop } = run(false);
    input.write('2 follow up on both\n');
    await settle();
    expect(sent).toEqual([]);
    expect(input.listenerCount('data')).toBe(0);
    stop();
  });

  it('says so when jbot is not there to take the line', async () => {
    const { input, said, stop } = run(true, false);
    input.write('hello\n');
    await settle();
    expect(said).toEqual([expect.stringMatching(/^jbot is not running right now: your line was not delivered/)]);
    stop();
  });
});
