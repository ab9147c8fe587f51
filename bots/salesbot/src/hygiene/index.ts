export { createHygieneTasks, type HygieneTasksDraft, type CreateHygieneTasksResult } from './create-hygiene-tasks.js';
