// The helpdesk's and the join flow's pages, registered in pages.ts as one entry.
import type { Page } from '../pages.ts';
import { agentQueuePage, agentTicketPage } from './helpdesk-agent.ts';
import { flowPage, flows, helpPage } from './helpdesk-forms.ts';
import { outboxPage } from './helpdesk-outbox.ts';
import { myTicketsPage, ticketPage } from './helpdesk-tickets.ts';
import { interestPage } from './join-interest.ts';
import { joinOverviewPage, joinRolePage } from './join-pages.ts';
import { notificationsPage } from './notifications.ts';

export const helpdeskPages: Page[] = [
  // Public so the Help link shows on every page; anonymous visitors are asked to log in there.
  { path: '/help', title: 'Help', access: 'public', nav: { label: 'Help', order: 90, group: 'Help', from: true }, render: helpPage },
  { path: '/helpdesk/biobank', title: flows.biobank.title, access: 'user', render: flowPage(flows.biobank) },
  { path: '/helpdesk/search-provider', title: flows['search-provider'].title, access: 'user', render: flowPage(flows['search-provider']) },
  { path: '/helpdesk/tool', title: flows.tool.title, access: 'user', render: flowPage(flows.tool) },
  {
    path: '/helpdesk/tickets',
    title: 'My tickets',
    access: 'user',
    nav: { label: 'My tickets', order: 85, group: 'Help' },
    render: myTicketsPage,
  },
  { path: '/helpdesk/tickets/:id', title: 'Ticket', access: 'user', render: ticketPage },
  {
    path: '/helpdesk/agent',
    title: 'Helpdesk agent view',
    access: 'admin',
    nav: { label: 'Helpdesk', order: 95, group: 'Admin' },
    render: agentQueuePage,
  },
  { path: '/helpdesk/agent/:id', title: 'Helpdesk ticket', access: 'admin', render: agentTicketPage },
  {
    path: '/helpdesk/outbox',
    title: 'Outbox',
    access: 'admin',
    nav: { label: 'Mail outbox', order: 97, group: 'Admin' },
    render: outboxPage,
  },
  {
    path: '/notifications',
    title: 'Notifications',
    access: 'user',
    nav: { label: 'Notifications', order: 88, group: 'Help' },
    render: notificationsPage,
  },
  {
    path: '/join',
    title: 'Join EUCAIM',
    access: 'public',
    nav: { label: 'Join', order: 70, group: 'Contribute' },
    render: joinOverviewPage,
  },
  { path: '/join/user', title: 'Become a User', access: 'public', render: joinRolePage('user') },
  { path: '/join/software-provider', title: 'Become a Software Provider', access: 'public', render: joinRolePage('software_provider') },
  { path: '/join/data-holder', title: 'Become a Data Holder', access: 'public', render: joinRolePage('data_holder') },
  { path: '/join/stakeholder', title: 'Become a Stakeholder', access: 'public', render: joinRolePage('stakeholder') },
  { path: '/join/interest', title: 'Expression of interest', access: 'public', render: interestPage },
];
