import type { Command } from '../command.js';
import { approvalsCommand } from './approvals.js';
import { approveCommand } from './approve.js';
import { buildCommand } from './build.js';
import { costsCommand } from './costs.js';
import { deployCommand } from './deploy.js';
import { doctorCommand } from './doctor.js';
import { cronsCommand } from './crons.js';
import { demoCommand } from './demo.js';
import { llmCommand } from './llm.js';
import { migrateCommand } from './migrate.js';
import { runCommand } from './run.js';
import { runsCommand } from './runs.js';
import { rejectCommand } from './reject.js';
import { replyCommand } from './reply.js';
import { rolesCommand } from './roles.js';
import { seedCommand } from './seed.js';
import { signalsCommand } from './signals.js';
import { startCommand } from './start.js';
import { statusCommand } from './status.js';

/** Every `fleet` subcommand, in the order `fleet help` lists them. Add new commands here. */
export const commands: Command[] = [
  startCommand,
  statusCommand,
  migrateCommand,
  signalsCommand,
  cronsCommand,
  runsCommand,
  runCommand,
  buildCommand,
  seedCommand,
  replyCommand,
  approvalsCommand,
  approveCommand,
  rejectCommand,
  costsCommand,
  llmCommand,
  demoCommand,
  deployCommand,
  doctorCommand,
  rolesCommand,
];
