/** Every implemented REST operation, by operationId. A spec route missing here answers 501. */
import type { HandlerTable } from '../context.js';
import { actionHandlers } from './actions.js';
import { checkHandlers } from './checks.js';
import { deploymentHandlers } from './deployments.js';
import { gitHandlers } from './git.js';
import { issueHandlers } from './issues.js';
import { pullHandlers } from './pulls.js';
import { releaseHandlers } from './releases.js';
import { repoHandlers } from './repos.js';
import { searchHandlers } from './search.js';
import { teamHandlers } from './teams.js';

export const handlers: HandlerTable = {
  ...repoHandlers,
  ...gitHandlers,
  ...checkHandlers,
  ...actionHandlers,
  ...teamHandlers,
  ...pullHandlers,
  ...issueHandlers,
  ...searchHandlers,
  ...releaseHandlers,
  ...deploymentHandlers,
};
