// The seed's four "Become a ..." pages: who each role is for, its rules of participation, and the
// way in (the expression of interest form, or logging in for users).
import { h } from '../dom.ts';
import type { PageContext } from '../pages.ts';

export const JOIN_ROLES = {
  user: {
    title: 'Become a User',
    who: 'Researchers or innovators with a clinical, scientific or clinical question who want to develop, train, benchmark or validate AI algorithms on cancer images.',
    rules: [
      'Browse the public catalogue without an account; log in with an LS-AAI identity and join the EUCAIM group to search across all nodes.',
      'Find datasets with the federated search, then request access to them for one research project at a time.',
      'Each access request is checked administratively, then evaluated technically and scientifically by the Access Committee.',
      "Provide your contact details, the project's scientific relevance, and its ethical and legal basis (ethics approval, legal obligations, due diligence).",
      "Use the data only within the approved project and the platform's environment, with your actions traced.",
    ],
  },
  software_provider: {
    title: 'Become a Software Provider',
    who: 'Researchers or innovators who want to contribute image processing tools to the EUCAIM marketplace of solutions.',
    rules: [
      'Deliver software as container images that run on the central and federated nodes under their orchestrators.',
      "Follow EUCAIM's technical guidelines and terms of usage, including data handling and documentation.",
      'Offer user support and commit to long-term maintenance for secure, stable operation.',
      'Provide at least user manuals, licence agreements, data usage policies, security information and support contacts.',
      'Record relevant user actions and provide logs for traceability; expose monitoring of status and performance.',
      'Describe the software for benchmarking: training data, type, performance metrics and input requirements.',
      'Apply quality control (code checks, functional validation, external assessment where applicable).',
      'Comply with GDPR and other legal, ethical, European and national rules that apply to the software.',
    ],
  },
  data_holder: {
    title: 'Become a Data Holder',
    who: 'Data providers who contribute data by transferring it to a reference node, or by keeping it at home in a federated node.',
    rules: [
      'Transfer to a Reference Node: sign a Data Transfer Agreement and share information on the project, metadata catalogue and software; EUCAIM guides the de-identification.',
      'Federated node: sign a Data Sharing Agreement and share the same information plus your local computing and storage capabilities.',
      'Tier 1: describe every dataset in the catalogue. Tier 2: answer the federated search. Tier 3: run approved processing where the data lives.',
      'Keep the dataset identifier in the catalogue equal to the one the federated search reports.',
    ],
  },
  stakeholder: {
    title: 'Become a Stakeholder',
    who: 'Organisations, institutions or companies interested in collaborating with the EUCAIM consortium who are not yet an official partner.',
    rules: [
      "Express your interest with your organisation's details, capabilities and main interests.",
      'Members may take part in the observational project calls.',
      'The consortium reviews each expression of interest and contacts you through the helpdesk.',
    ],
  },
} as const;
export type JoinRole = keyof typeof JOIN_ROLES;

export function joinOverviewPage(): HTMLElement {
  return h(
    'section',
    { class: 'card', 'data-testid': 'join' },
    h('h2', {}, 'Join EUCAIM'),
    h('p', {}, 'Four roles can take part in EUCAIM. Each page explains the role and its rules of participation.'),
    h(
      'ul',
      {},
      ...Object.entries(JOIN_ROLES).map(([key, r]) =>
        h('li', {}, h('a', { href: `/join/${key.replace('_', '-')}`, 'data-testid': `join-${key}` }, r.title), ': ', r.who),
      ),
    ),
  );
}

export function joinRolePage(role: JoinRole) {
  return (ctx: PageContext): HTMLElement => {
    const r = JOIN_ROLES[role];
    const action =
      role === 'user'
        ? ctx.me
          ? h('p', {}, 'You are logged in. ', h('a', { href: '/search' }, 'Go to the federated search'), '.')
          : h('button', { type: 'button', class: 'primary', onclick: () => ctx.logIn() }, 'Become a User now: log in')
        : h('a', { href: `/join/interest?role=${role}`, class: 'button primary', 'data-testid': 'express-interest' }, `${r.title} now`);
    return h(
      'section',
      { class: 'card', 'data-testid': `join-${role}-page` },
      h('h2', {}, r.title),
      h('p', {}, r.who),
      h('h3', {}, 'Rules of participation'),
      h('ul', { 'data-testid': 'rules' }, ...r.rules.map((rule) => h('li', {}, rule))),
      h('p', {}, action),
      role === 'user'
        ? null
        : h(
            'p',
            { class: 'muted' },
            'The form is the Expression of Interest from new Stakeholders; the consortium replies by e-mail and through the helpdesk.',
          ),
    );
  };
}
