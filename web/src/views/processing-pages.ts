// Federated processing's pages: the network monitor, the tool registry, and the workspace.
import type { Page } from '../pages.ts';
import { networkPage } from './network-page.ts';
import { toolsPage } from './tools-page.ts';
import { workspacePage } from './workspace-page.ts';
import { workspaceRunPage } from './workspace-run.ts';

export const processingPages: Page[] = [
  // Members, like GET /api/v1/nodes: the seed shows the network to logged-in users of the dashboard.
  {
    path: '/network',
    title: 'EUCAIM network',
    access: 'member',
    nav: { label: 'Network', order: 56, group: 'Analyse' },
    render: networkPage,
  },
  { path: '/tools', title: 'Federated tools', access: 'member', nav: { label: 'Tools', order: 54, group: 'Analyse' }, render: toolsPage },
  {
    path: '/workspace',
    title: 'My workspace',
    access: 'member',
    nav: { label: 'Workspace', order: 52, group: 'Analyse' },
    render: workspacePage,
  },
  { path: '/workspace/runs/:id', title: 'Run', access: 'member', render: workspaceRunPage },
];
