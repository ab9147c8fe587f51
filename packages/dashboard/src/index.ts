// @jbot/dashboard — the fleet's dashboard, served as its own process.
export { runDashboardProcess, EXIT_CONFIG } from './run-dashboard-process.js';
export { startDashboard, createDashboardApp, type DashboardOptions, type RunningDashboard } from './dashboard-server.js';
export { loadDashboardConfig, dashboardEnvShape, type DashboardConfig } from './dashboard-config.js';
export { LiveHints, HINT_TOPICS, type LiveHint } from './live-hints.js';
export { hostAllowed, requestGuard, SESSION_COOKIE } from './request-guard.js';
export { costSeries, type CostSeries } from './panels/all-panels.js';
export { dashboardDecider } from './dashboard-actions.js';
