import type { ToolFrictionConfig, ToolGroupConfig } from '../../src/friction/config.js';

/** The Python package's production-like mutation tools (11 tools). */
export const MUTATION_TOOLS: Readonly<Record<string, ToolFrictionConfig>> = {
  create_task: { targetRate: 0.05 },
  create_tasks: { targetRate: 0.03 },
  update_task: { targetRate: 0.1 },
  delete_task: { targetRate: 0.03 },
  complete_task: { targetRate: 0.05 },
  batch_update_tasks: { targetRate: 0.03 },
  add_task_comment: { targetRate: 0.08 },
  classify_task: { targetRate: 0.08 },
  add_agent_note: { targetRate: 0.08 },
  set_agent_status: { targetRate: 0.08 },
  add_dependency: { targetRate: 0.05 },
};

/** All mutations together at most 30 % of calls. */
export const MUTATION_GROUP: ToolGroupConfig = {
  tools: Object.keys(MUTATION_TOOLS),
  aggregateTarget: 0.3,
};
