import type { Env } from '../config/env-parsing.js';

// Variable names whose values are credentials. Matched by name so a connector added later is
// covered without touching this file.
const SECRET_NAME = /(TOKEN|SECRET|PASSWORD|API_KEY|ACCESS_KEY|SERVICE_ROLE_KEY|PRIVATE_KEY|WEBHOOK_SECRET)/;
const URL_NAME = /_URL$/;
// Short values (a "1", a port) would scrub ordinary text; real credentials are longer.
const MINIMUM_SECRET_LENGTH = 6;

/** Every secret value in the environment: credential variables, and passwords inside URLs. */
export function secretValuesFromEnv(env: Env): string[] {
  const secrets = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || value.length < MINIMUM_SECRET_LENGTH) continue;
    if (SECRET_NAME.test(name)) secrets.add(value);
    if (URL_NAME.test(name)) {
      try {
        const url = new URL(value);
        if (url.password.length >= MINIMUM_SECRET_LENGTH) {
          secrets.add(url.password);
          secrets.add(decodeURIComponent(url.password));
        }
      } catch {
        // Not a URL: nothing to extract.
      }
    }
  }
  // Longest first so a secret that contains another is replaced whole.
  return [...secrets].sort((left, right) => right.length - left.length);
}
