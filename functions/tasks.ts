import type { HubTask } from './ports/task-queue.ts';
import { closeSearchAtDeadline } from './search/search-service.ts';
import type { Services } from './services.ts';

/** Runs one hub task, whichever queue delivered it (Postgres table, Workers cron or SQS on Lambda). */
export async function handleHubTask(s: Services, task: HubTask): Promise<void> {
  switch (task.type) {
    case 'search.deadline': {
      const expired = await closeSearchAtDeadline(s, task.searchId);
      if (expired > 0) s.logger.info('search closed at deadline', { searchId: task.searchId, timedOutNodes: expired });
      return;
    }
  }
}
