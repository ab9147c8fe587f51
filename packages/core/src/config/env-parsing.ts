import { z } from 'zod';
import { ConfigError, type ConfigProblem } from './config-error.js';

/** The environment as read at start-up. */
export type Env = Readonly<Record<string, string | undefined>>;

/** An optional string: empty or unset both mean "not configured". */
export const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

/** A boolean written as 1/0, true/false, yes/no, on/off. */
export const envBoolean = (fallback: boolean) =>
  z
    .string()
    .optional()
    .transform((value, context) => {
      if (value === undefined || value.trim() === '') return fallback;
      const normalised = value.trim().toLowerCase();
      if (['1', 'true', 'yes', 'on'].includes(normalised)) return true;
      if (['0', 'false', 'no', 'off'].includes(normalised)) return false;
      context.addIssue({ code: 'custom', message: `expected true or false, got "${value}"` });
      return z.NEVER;
    });

/** A whole number inside bounds, with a default when unset. */
export const envInteger = (fallback: number, minimum: number, maximum = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .optional()
    .transform((value, context) => {
      if (value === undefined || value.trim() === '') return fallback;
      const parsed = Number(value.trim());
      if (!Number.isInteger(parsed) || parsed < minimum || parsed > maximum) {
        context.addIssue({ code: 'custom', message: `expected a whole number from ${minimum} to ${maximum}, got "${value}"` });
        return z.NEVER;
      }
      return parsed;
    });

/** A decimal number (money, ratios) with a default when unset. */
export const envNumber = (fallback: number, minimum = 0) =>
  z
    .string()
    .optional()
    .transform((value, context) => {
      if (value === undefined || value.trim() === '') return fallback;
      const parsed = Number(value.trim());
      if (!Number.isFinite(parsed) || parsed < minimum) {
        context.addIssue({ code: 'custom', message: `expected a number ≥ ${minimum}, got "${value}"` });
        return z.NEVER;
      }
      return parsed;
    });

/** A comma-separated list; empty entries dropped. */
export const envList = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== ''),
  );

/** An http(s) URL, optional. */
export const optionalHttpUrl = optionalString.refine(
  (value) => value === undefined || /^https?:\/\/[^\s]+$/.test(value),
  'expected an http:// or https:// URL',
);

/** An IANA time zone such as Europe/London. */
export const timeZone = (fallback: string) =>
  optionalString.transform((value, context) => {
    const zone = value ?? fallback;
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      return zone;
    } catch {
      context.addIssue({ code: 'custom', message: `"${zone}" is not an IANA time zone (try Europe/London or America/New_York)` });
      return z.NEVER;
    }
  });

/**
 * Parse the environment against a schema whose keys are variable names. Every problem is
 * collected and thrown together, so the operator fixes the .env in one pass.
 */
export function parseEnv<Shape extends z.ZodRawShape>(
  shape: Shape,
  env: Env,
  refine?: (config: z.infer<z.ZodObject<Shape>>) => ConfigProblem[],
): z.infer<z.ZodObject<Shape>> {
  const picked: Record<string, string | undefined> = {};
  for (const key of Object.keys(shape)) picked[key] = env[key];
  const result = z.object(shape).safeParse(picked);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? '(environment)'),
        message: issue.code === 'invalid_type' && picked[String(issue.path[0])] === undefined ? 'is required but not set' : issue.message,
      })),
    );
  }
  const problems = refine?.(result.data) ?? [];
  if (problems.length > 0) throw new ConfigError(problems);
  return result.data;
}
