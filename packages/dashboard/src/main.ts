// The dashboard's process entry: `node main.ts` (the local supervisor and jbot@dashboard.service start it).
import { runDashboardProcess } from './index.js';

await runDashboardProcess();
