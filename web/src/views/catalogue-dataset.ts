// `/catalogue/datasets/:id`: every field of the profile in readable form, where the dataset sits
// (network > biobank > dataset), how it can be accessed, and "Add to request". Editors also get
// edit, publish and withdraw.
import type { DatasetMetadata } from '../../../shared/catalogue/profile.ts';
import * as V from '../../../shared/catalogue/vocabularies.ts';
import { ApiError, okJson } from '../api.ts';
import { h } from '../dom.ts';
import type { PageContext } from '../pages.ts';
import { cartToggle } from './cart-button.ts';
import type { DatasetView } from './catalogue-types.ts';
import { errorBox } from './error-box.ts';

const list = (vocabulary: V.Vocabulary, codes: readonly string[]) => codes.map((c) => V.labelOf(vocabulary, c)).join(', ');
const link = (url: string) => h('a', { href: url, rel: 'noopener', target: '_blank' }, url);
const agent = (a: { name: string; email?: string; url?: string } | undefined) =>
  a ? [a.name, a.email, a.url].filter(Boolean).join(' · ') : undefined;

function rows(m: DatasetMetadata): [string, Node | string][] {
  const contact = [m.contactPoint.name, m.contactPoint.email, m.contactPoint.url].filter(Boolean).join(' · ');
  const out: [string, Node | string | undefined][] = [
    ['Description', m.description],
    ['Condition', V.labelOf(V.CONDITIONS, m.condition)],
    ['Subjects', m.subjects.toLocaleString('en')],
    ['Imaging studies', m.studies.toLocaleString('en')],
    ['Modalities', list(V.MODALITIES, m.modalities)],
    ['Body parts', list(V.BODY_PARTS, m.bodyParts)],
    ['Manufacturers', list(V.MANUFACTURERS, m.manufacturers)],
    ['Birth sex', list(V.BIRTH_SEXES, m.birthSex)],
    ['Tier', V.labelOf(V.TIERS, m.tier)],
    ['Type', list(V.DATASET_TYPES, m.type)],
    ['Access rights', V.labelOf(V.ACCESS_RIGHTS, m.accessRights)],
    ['Collection method', list(V.COLLECTION_METHODS, m.collectionMethod)],
    ['Health categories', list(V.HEALTH_CATEGORIES, m.healthCategory)],
    ['Health themes', m.healthTheme ? list(V.HEALTH_THEMES, m.healthTheme) : undefined],
    ['Structured (clinical) data', m.hasStructuredData ? 'Yes' : 'No'],
    ['Variables', m.variables?.length ? h('span', {}, ...m.variables.map(link)) : undefined],
    ['Population', m.populationCoverage],
    ['Keywords', m.keywords.join(', ')],
    ['Publisher', agent(m.publisher) ?? ''],
    ['Contact', contact],
    ['Version', m.version],
    ['Provenance', m.provenance],
    ['Applicable legislation', list(V.LEGISLATION, m.applicableLegislation)],
    ['Health data access body', agent(m.hdab)],
    ['Purpose', m.purpose?.join('; ')],
    ['Legal basis', m.legalBasis?.join('; ')],
    ['Personal data', m.personalData?.join('; ')],
    ['Typical age', m.ageRange ? `${m.ageRange.min}-${m.ageRange.max} years` : undefined],
    ['Retention', m.retentionPeriod ? `${m.retentionPeriod.start ?? '…'} to ${m.retentionPeriod.end ?? '…'}` : undefined],
    ['Custodian', agent(m.custodian)],
    ['Landing page', m.landingPage ? link(m.landingPage) : undefined],
    ['Quality', m.qualityAnnotation],
    [
      'Segmentation',
      m.segmentation
        ? [
            m.segmentation.labels?.join(', '),
            m.segmentation.algorithmTypes?.join(', '),
            m.segmentation.count === undefined ? undefined : `${m.segmentation.count} segmentations`,
          ]
            .filter(Boolean)
            .join(' · ')
        : undefined,
    ],
    ['Spatial resolution', m.spatialResolution === undefined ? undefined : `${m.spatialResolution * 1000} mm`],
    ['Temporal resolution', m.temporalResolution],
    ['Other identifiers', m.secondaryIdentifiers?.join(', ')],
  ];
  return out.filter((r): r is [string, Node | string] => r[1] !== undefined && r[1] !== '');
}

function accessConditions(m: DatasetMetadata): HTMLElement {
  return h(
    'section',
    { class: 'card', 'data-testid': 'access-conditions' },
    h('h3', {}, 'How the data can be accessed'),
    h(
      'ul',
      {},
      ...m.distributions.map((d) =>
        h(
          'li',
          {},
          h('strong', {}, V.labelOf(V.ACCESS_CONDITIONS, d.accessCondition)),
          d.title ? ` — ${d.title}` : '',
          ' · request at ',
          link(d.accessUrl),
          d.license ? h('span', {}, ' · licence ', link(d.license)) : null,
        ),
      ),
    ),
  );
}

function editorActions(ctx: PageContext, d: DatasetView): HTMLElement | null {
  if (!d.canEdit || d.state === 'withdrawn') return null;
  // A harvested dataset is edited at its source: its node's admins only publish or withdraw it here.
  const harvested = !!d.sourceId;
  const act = async (action: 'publish' | 'withdraw') => {
    const reason = reasonInput.value.trim();
    try {
      const target = ctx.client.api.v1.catalogue.datasets[':id'];
      await okJson(
        action === 'publish'
          ? await target.publish.$post({ param: { id: d.id } })
          : await target.withdraw.$post({ param: { id: d.id }, json: { reason } }),
      );
      ctx.navigate(`/catalogue/datasets/${d.id}`);
    } catch (err) {
      bar.append(errorBox(err, `Could not ${action} the dataset`));
    }
  };
  const reasonInput = h('input', {
    type: 'text',
    placeholder: 'Why it is withdrawn (required to withdraw)',
    'aria-label': 'Reason for withdrawing',
    'data-testid': 'withdraw-reason',
  });
  const bar = h(
    'p',
    { class: 'actions', 'data-testid': 'editor-actions' },
    harvested ? null : h('a', { class: 'button', href: `/catalogue/datasets/${d.id}/edit`, 'data-testid': 'edit-dataset' }, 'Edit'),
    ' ',
    d.state === 'draft'
      ? h('button', { type: 'button', class: 'primary', 'data-testid': 'publish-dataset', onclick: () => void act('publish') }, 'Publish')
      : null,
    ' ',
    reasonInput,
    h('button', { type: 'button', 'data-testid': 'withdraw-dataset', onclick: () => void act('withdraw') }, 'Withdraw'),
  );
  return bar;
}

export async function datasetPage(ctx: PageContext): Promise<Node> {
  let d: DatasetView;
  try {
    d = await okJson(await ctx.client.api.v1.catalogue.datasets[':id'].$get({ param: { id: ctx.params.id ?? '' } }));
  } catch (err) {
    if (err instanceof ApiError && err.status === 404)
      return h(
        'section',
        { class: 'card', 'data-testid': 'dataset-not-found' },
        h('h2', {}, 'No such dataset'),
        h('p', {}, 'It was never published, or it is a draft you may not see.'),
      );
    throw err;
  }
  const crumbs = h(
    'nav',
    { class: 'breadcrumb', 'aria-label': 'Where the dataset sits', 'data-testid': 'breadcrumb' },
    h('a', { href: '/catalogue' }, 'Catalogue'),
    d.network ? h('a', { href: `/catalogue/networks/${d.network.id}` }, d.network.title) : null,
    d.series ? h('a', { href: `/catalogue/series/${d.series.id}` }, d.series.title) : null,
    h('span', { 'aria-current': 'page' }, d.title),
  );
  const m = d.metadata;
  const state =
    d.state === 'published'
      ? null
      : h(
          'p',
          { class: `state state-${d.state}`, 'data-testid': 'dataset-state' },
          d.state === 'draft' ? 'Draft: only its editors see it.' : `Withdrawn on ${d.withdrawnAt?.slice(0, 10)}: ${d.withdrawnReason}`,
        );
  return h(
    'article',
    { class: 'dataset', 'data-testid': 'dataset-page', 'data-state': d.state },
    crumbs,
    h('h2', { 'data-testid': 'dataset-title' }, d.title),
    state,
    editorActions(ctx, d),
    m ? h('p', {}, cartToggle({ datasetId: d.id, name: d.title, nodeId: d.nodeId ?? '', from: 'catalogue' })) : null,
    m
      ? h(
          'dl',
          { class: 'card metadata', 'data-testid': 'dataset-metadata' },
          ...rows(m).flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]),
        )
      : null,
    m ? accessConditions(m) : null,
    d.source
      ? h(
          'p',
          { class: 'muted hint', 'data-testid': 'dataset-source' },
          'Harvested from ',
          link(d.source.iri),
          d.source.identifier ? ` (${d.source.identifier})` : '',
        )
      : null,
    h('p', { class: 'muted hint' }, `Identifier ${d.id} · version ${d.version} · updated ${d.modifiedAt.slice(0, 10)}`),
  );
}
