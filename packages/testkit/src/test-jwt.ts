import crypto from 'node:crypto';

const base64url = (text: string | Buffer) => Buffer.from(text).toString('base64url');

/** Sign claims as an HS256 JWT, the way a Supabase project's JWT secret signs its keys. */
export function signTestJwt(secret: string, claims: Record<string, unknown>): string {
  const head = `${base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${base64url(JSON.stringify(claims))}`;
  return `${head}.${crypto.createHmac('sha256', secret).update(head).digest('base64url')}`;
}

/** The claims of an HS256 JWT signed with secret and not expired, or null (as PostgREST checks it). */
export function verifyTestJwt(secret: string, token: string): Record<string, unknown> | null {
  const [header, payload, signature] = token.split('.');
  if (header === undefined || payload === undefined || signature === undefined) return null;
  const expected = crypto.createHmac('sha256', secret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (typeof claims['exp'] === 'number' && claims['exp'] * 1000 < Date.now()) return null;
    return claims;
  } catch {
    return null;
  }
}
