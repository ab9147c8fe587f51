import { FleetError } from '../errors/fleet-error.js';

/** A job declaration that cannot be scheduled (bad cron expression or time zone); start-up stops. */
export class ScheduleError extends FleetError {
  constructor(bot: string, job: string, message: string) {
    super('schedule_invalid', `Bot ${bot}, job "${job}": ${message}`, { facts: { bot, job } });
  }
}
