import net from 'node:net';
import { envBoolean, envInteger, envList, optionalString, parseEnv, type Env } from '@jbot/core';
import { isLoopbackAddress } from './loopback.js';

/** The dashboard's environment: where it listens and who may act. */
export const dashboardEnvShape = {
  DASHBOARD_HOST: optionalString,
  DASHBOARD_PORT: envInteger(4680, 0, 65535),
  DASHBOARD_TOKEN: optionalString,
  DASHBOARD_READ_ONLY: envBoolean(false),
  DASHBOARD_POLL_MS: envInteger(3000, 250, 60_000),
  DASHBOARD_ALLOWED_HOSTS: envList,
  DASHBOARD_OPERATOR_NAME: optionalString,
};

/** The parsed dashboard configuration. */
export interface DashboardConfig {
  /** Address to bind; 127.0.0.1 unless DASHBOARD_HOST says otherwise. */
  host: string;
  /** Port to bind; 0 picks a free one (tests). */
  port: number;
  /** Required of every request from a non-loopback address; undefined when unset. */
  token: string | undefined;
  /** No buttons, every POST refused. */
  readOnly: boolean;
  /** The page's poll backstop, since NOTIFY has no replay and the Supabase transport cannot listen. */
  pollMs: number;
  /** Host header values accepted besides loopback names and IP literals (the names a proxy serves it under). */
  allowedHosts: readonly string[];
  /** Who a decision or reply made here is recorded as ("operator via the dashboard"). */
  operatorName: string;
}

const TOKEN_MINIMUM_LENGTH = 16;

/**
 * Parse the dashboard's variables once at start-up. Binding a non-loopback address without
 * DASHBOARD_TOKEN is a ConfigError naming the variable (the process exits 78), because anyone on
 * that network could otherwise approve actions.
 */
export function loadDashboardConfig(env: Env = process.env): DashboardConfig {
  const raw = parseEnv(dashboardEnvShape, env, (parsed) => {
    const problems = [];
    const host = parsed.DASHBOARD_HOST ?? '127.0.0.1';
    if (host !== 'localhost' && net.isIP(host) === 0)
      problems.push({ variable: 'DASHBOARD_HOST', message: `expected an IP address to bind (127.0.0.1, 0.0.0.0, ::), got "${host}"` });
    else if (!isLoopbackAddress(host) && parsed.DASHBOARD_TOKEN === undefined)
      problems.push({
        variable: 'DASHBOARD_TOKEN',
        message: `is required to listen on ${host}, a non-loopback address: set a long random value (openssl rand -hex 24) or bind DASHBOARD_HOST=127.0.0.1`,
      });
    if (parsed.DASHBOARD_TOKEN !== undefined && parsed.DASHBOARD_TOKEN.length < TOKEN_MINIMUM_LENGTH)
      problems.push({ variable: 'DASHBOARD_TOKEN', message: `is too short: use at least ${TOKEN_MINIMUM_LENGTH} random characters (openssl rand -hex 24)` });
    return problems;
  });
  return {
    host: raw.DASHBOARD_HOST ?? '127.0.0.1',
    port: raw.DASHBOARD_PORT,
    token: raw.DASHBOARD_TOKEN,
    readOnly: raw.DASHBOARD_READ_ONLY,
    pollMs: raw.DASHBOARD_POLL_MS,
    allowedHosts: raw.DASHBOARD_ALLOWED_HOSTS.map((name) => name.toLowerCase()),
    operatorName: raw.DASHBOARD_OPERATOR_NAME ?? 'operator',
  };
}
