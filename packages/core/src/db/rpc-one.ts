import { BrainNoRowError } from './brain-error.js';
import type { Db, Row } from './db.js';

/**
 * Call a brain function that always returns exactly one row (emit, claim, record…) and return
 * that row. No row means the database does not hold the function this code expects: a clear
 * BrainNoRowError instead of a crash on `undefined` further on.
 */
export async function rpcOne<Result extends Row = Row>(db: Db, functionName: string, args?: Record<string, unknown>): Promise<Result> {
  const [row] = await db.rpc<Result>(functionName, args);
  if (row === undefined) throw new BrainNoRowError(functionName);
  return row;
}
