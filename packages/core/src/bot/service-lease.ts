import type { Logger } from 'pino';
import type { Db } from '../db/db.js';

/** What a ServiceLease needs. */
export interface ServiceLeaseOptions {
  db: Db;
  /** The service's name, the same on every host (jbot:telegram-inbox). */
  name: string;
  /** This copy (host:pid). */
  holder: string;
  log: Logger;
  /** How long a lease lasts unrenewed; a standby takes over this long after the holder dies. Default 30 s. */
  leaseMs?: number;
}

/**
 * Runs a service in exactly one copy of a bot across hosts: the copy holding the brain lease runs
 * it and renews every third of the lease; the others try again on the same beat and start it when
 * the lease has expired. A holder that fails to renew in time stops the service (`lost`) before
 * another copy can have taken over.
 */
export class ServiceLease {
  private timer: NodeJS.Timeout | undefined;
  private holding = false;
  private stopped = false;
  private readonly leaseMs: number;

  constructor(private readonly options: ServiceLeaseOptions) {
    this.leaseMs = options.leaseMs ?? 30_000;
  }

  /** True while this copy runs the service. */
  get isHolder(): boolean {
    return this.holding;
  }

  /** Start trying: `acquired` runs when this copy takes the lease, `lost` if it ever loses it. */
  async start(callbacks: { acquired: () => Promise<void>; lost: () => Promise<void> }): Promise<void> {
    const tick = async () => {
      if (this.stopped) return;
      let held = false;
      let holder = '';
      try {
        const [row] = await this.options.db.rpc<{ held: boolean; holder: string }>('claim_service_lease', {
          p_name: this.options.name,
          p_holder: this.options.holder,
          p_lease_seconds: this.leaseMs / 1000,
        });
        held = row?.held === true;
        holder = row?.holder ?? '';
      } catch (error) {
        this.options.log.warn({ err: error, service: this.options.name }, 'could not renew the service lease');
      }
      if (this.stopped) return;
      if (held && !this.holding) {
        this.holding = true;
        this.options.log.info({ service: this.options.name }, `this copy now runs ${this.options.name}`);
        await callbacks.acquired();
      } else if (!held && this.holding) {
        this.holding = false;
        this.options.log.warn({ service: this.options.name, holder }, `lost ${this.options.name} to ${holder}; standing by`);
        await callbacks.lost();
      } else if (!held) {
        this.options.log.debug({ service: this.options.name, holder }, 'standing by');
      }
    };
    await tick();
    this.timer = setInterval(
      () => void tick().catch((error: unknown) => this.options.log.error({ err: error }, 'service lease tick failed')),
      Math.max(100, Math.floor(this.leaseMs / 3)),
    );
  }

  /** Stop trying and give the lease up, so a standby takes over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    if (this.holding) {
      this.holding = false;
      await this.options.db.rpc('release_service_lease', { p_name: this.options.name, p_holder: this.options.holder }).catch(() => {});
    }
  }
}
