import type { IncomingMessage } from 'node:http';

/** The whole body of a request to one of the fake servers, as UTF-8 text ('' when there is none). */
export function readRequestText(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
