import { approvalsPanel } from './approvals-panel.js';
import { costsPanel } from './costs-panel.js';
import { floorPanel } from './floor-panel.js';
import { healthPanel } from './health-panel.js';
import { inboxPanel } from './inbox-panel.js';
import type { Panel } from './panel.js';
import { runsPanel } from './runs-panel.js';
import { signalsPanel } from './signals-panel.js';

/** Every panel, in page order. */
export const PANELS: readonly Panel[] = [healthPanel, approvalsPanel, inboxPanel, floorPanel, signalsPanel, runsPanel, costsPanel];

export { approvalArticle } from './approvals-panel.js';
export { costSeries, type CostSeries } from './costs-panel.js';
export type { Panel, PanelContext } from './panel.js';
