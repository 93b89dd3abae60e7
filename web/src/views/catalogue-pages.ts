// The catalogue's pages: the dashboard (the landing page), browsing, the hierarchy, one dataset,
// the registration form and the access-request cart.
import type { Page } from '../pages.ts';
import { cartPage } from './cart-page.ts';
import { datasetPage } from './catalogue-dataset.ts';
import { catalogueFormPage } from './catalogue-form.ts';
import { networkPage, networksPage, seriesPage } from './catalogue-hierarchy.ts';
import { cataloguePage } from './catalogue-page.ts';
import { dashboardPage } from './dashboard-page.ts';

export const cataloguePages: Page[] = [
  { path: '/', title: 'Dashboard', access: 'public', nav: { label: 'Dashboard', order: 5, group: 'Find data' }, render: dashboardPage },
  {
    path: '/catalogue',
    title: 'Catalogue',
    access: 'public',
    nav: { label: 'Catalogue', order: 10, group: 'Find data' },
    render: cataloguePage,
  },
  { path: '/catalogue/networks', title: 'Networks and biobanks', access: 'public', render: networksPage },
  { path: '/catalogue/networks/:id', title: 'Network', access: 'public', render: networkPage },
  { path: '/catalogue/series/:id', title: 'Imaging biobank', access: 'public', render: seriesPage },
  {
    path: '/catalogue/register',
    title: 'Register a dataset',
    access: 'user',
    nav: { label: 'Register', order: 60, group: 'Contribute' },
    render: catalogueFormPage,
  },
  { path: '/catalogue/datasets/:id', title: 'Dataset', access: 'public', render: datasetPage },
  { path: '/catalogue/datasets/:id/edit', title: 'Edit dataset', access: 'user', render: catalogueFormPage },
  {
    path: '/cart',
    title: 'Access request',
    access: 'public',
    nav: { label: 'Cart', order: 30, group: 'Access' },
    render: (ctx) => cartPage(ctx),
  },
];
