import { printableText, scrubString, secretValuesFromEnv } from '@jbot/core';
import type { CommandIo } from './command.js';

/**
 * What a command prints, made safe for the terminal it reaches: secrets from the env (also
 * URL- and form-encoded) scrubbed — a row written by a bot without them configured, or before
 * the brain seam scrubbed, still prints clean — and control characters from outside data (a deal
 * name with `ESC]0;…`) replaced. `keepControls` is for a command that colours its own output and
 * makes the outside text it prints safe itself (`fleet start`).
 */
export function terminalIo(io: CommandIo, options: { keepControls?: boolean } = {}): CommandIo {
  const secrets = secretValuesFromEnv(io.env);
  const safe = options.keepControls === true ? (line: string) => scrubString(line, secrets) : (line: string) => printableText(scrubString(line, secrets));
  return { ...io, out: (line) => io.out(safe(line)), error: (line) => io.error(safe(line)) };
}
