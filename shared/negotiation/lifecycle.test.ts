import { describe, expect, it } from 'vitest';
import {
  type DatasetEvent,
  type DatasetState,
  datasetChart,
  datasetEvents,
  datasetStates,
  negotiationChart,
  negotiationEvents,
  negotiationStates,
  settleNegotiation,
  transitionDataset,
} from './lifecycle.ts';
import { type LifecycleRole, lifecycleRoles, reachableStates, type StateChart, transition } from './state-chart.ts';

// The lifecycle as the reference and the seed describe it, written out independently of the chart:
// event -> [from states, to, roles]. The chart must match it exactly, for every role and state.
type Spec = Record<string, [from: string[], to: string, roles: LifecycleRole[]]>;
const negotiationSpec: Spec = {
  submit: [['DRAFT'], 'SUBMITTED', ['researcher']],
  approve: [['SUBMITTED'], 'IN_PROGRESS', ['admin']],
  decline: [['SUBMITTED'], 'DECLINED', ['admin']],
  pause: [['IN_PROGRESS'], 'PAUSED', ['admin']],
  resume: [['PAUSED'], 'IN_PROGRESS', ['admin']],
  abandon: [['SUBMITTED', 'IN_PROGRESS', 'PAUSED'], 'ABANDONED', ['researcher']],
  conclude: [['IN_PROGRESS'], 'CONCLUDED', ['researcher', 'admin']],
};
const datasetSpec: Spec = {
  contact_representative: [['SUBMITTED', 'REPRESENTATIVE_UNREACHABLE'], 'REPRESENTATIVE_CONTACTED', ['admin']],
  mark_unreachable: [['SUBMITTED', 'REPRESENTATIVE_CONTACTED'], 'REPRESENTATIVE_UNREACHABLE', ['admin']],
  return_for_resubmission: [
    ['REPRESENTATIVE_CONTACTED', 'CHECKING_AVAILABILITY'],
    'RETURNED_FOR_RESUBMISSION',
    ['representative', 'admin'],
  ],
  resubmit: [['RETURNED_FOR_RESUBMISSION'], 'REPRESENTATIVE_CONTACTED', ['researcher']],
  check_availability: [['REPRESENTATIVE_CONTACTED'], 'CHECKING_AVAILABILITY', ['representative']],
  step_away: [['REPRESENTATIVE_CONTACTED'], 'RESOURCE_UNAVAILABLE', ['representative']],
  mark_available: [['CHECKING_AVAILABILITY'], 'RESOURCE_AVAILABLE', ['representative']],
  mark_unavailable: [['CHECKING_AVAILABILITY'], 'RESOURCE_UNAVAILABLE', ['representative']],
  mark_willing_to_collect: [['CHECKING_AVAILABILITY'], 'RESOURCE_UNAVAILABLE_WILLING_TO_COLLECT', ['representative']],
  indicate_access_conditions: [
    ['RESOURCE_AVAILABLE', 'RESOURCE_UNAVAILABLE_WILLING_TO_COLLECT'],
    'ACCESS_CONDITIONS_INDICATED',
    ['representative'],
  ],
  accept_access_conditions: [['ACCESS_CONDITIONS_INDICATED'], 'ACCESS_CONDITIONS_MET', ['researcher']],
  decline_access_conditions: [['ACCESS_CONDITIONS_INDICATED'], 'RESOURCE_NOT_MADE_AVAILABLE', ['researcher']],
  grant_access: [['ACCESS_CONDITIONS_MET'], 'RESOURCE_MADE_AVAILABLE', ['representative']],
};

function triples(states: readonly string[], events: readonly string[]) {
  return states.flatMap((state) => events.flatMap((event) => lifecycleRoles.map((role) => ({ state, event, role }))));
}

const charts = [
  {
    chart: negotiationChart as StateChart<string, string>,
    spec: negotiationSpec,
    states: negotiationStates,
    events: negotiationEvents,
    finals: ['CONCLUDED', 'ABANDONED', 'DECLINED'],
  },
  {
    chart: datasetChart as StateChart<string, string>,
    spec: datasetSpec,
    states: datasetStates,
    events: datasetEvents,
    finals: ['RESOURCE_UNAVAILABLE', 'RESOURCE_NOT_MADE_AVAILABLE', 'RESOURCE_MADE_AVAILABLE'],
  },
];

describe.each(charts)('the $chart.name chart', ({ chart, spec, states, events, finals }) => {
  const allowedBySpec = (state: string, role: LifecycleRole) =>
    events.filter((e) => spec[e]?.[0].includes(state) && spec[e]?.[2].includes(role));

  it.each(triples(states, events))('$event in $state as $role', ({ state, event, role }) => {
    const [from, to, roles] = spec[event] ?? [[], '', []];
    const result = transition(chart, state, event, role);
    if (!roles.includes(role)) {
      // 403-kind: the role may never fire this event.
      expect(result).toEqual({ ok: false, refusal: 'role_not_allowed', event, role, roles });
    } else if (!from.includes(state)) {
      // 409-kind: not now, and here is what this role may do instead.
      expect(result).toEqual({ ok: false, refusal: 'not_allowed_now', event, state, allowed: allowedBySpec(state, role) });
    } else {
      expect(result).toEqual({ ok: true, event, from: state, to });
    }
  });

  it('declares exactly the states and events of the lifecycle, and no others', () => {
    expect(chart.states.map((s) => s.id)).toEqual([...states]);
    expect(chart.events.map((e) => e.id).sort()).toEqual(Object.keys(spec).sort());
  });

  it('marks exactly the final states as final, and lets no event leave them', () => {
    expect(
      chart.states
        .filter((s) => s.final)
        .map((s) => s.id)
        .sort(),
    ).toEqual([...finals].sort());
    for (const e of chart.events)
      expect(
        e.from.filter((s) => finals.includes(s)),
        e.id,
      ).toEqual([]);
  });

  it('reaches every state from the initial one by real events', () => {
    expect([...reachableStates(chart)].sort()).toEqual([...states].sort());
  });
});

describe('reachability', () => {
  it('notices a state no event reaches (the defect of the chart we replace)', () => {
    const broken = { ...datasetChart, events: datasetChart.events.filter((e) => e.id !== 'return_for_resubmission') };
    expect(reachableStates(broken).has('RETURNED_FOR_RESUBMISSION')).toBe(false);
  });
});

describe('datasets within a negotiation', () => {
  const walk: [DatasetEvent, LifecycleRole, DatasetState][] = [
    ['contact_representative', 'admin', 'REPRESENTATIVE_CONTACTED'],
    ['return_for_resubmission', 'representative', 'RETURNED_FOR_RESUBMISSION'],
    ['resubmit', 'researcher', 'REPRESENTATIVE_CONTACTED'],
    ['check_availability', 'representative', 'CHECKING_AVAILABILITY'],
    ['mark_available', 'representative', 'RESOURCE_AVAILABLE'],
    ['indicate_access_conditions', 'representative', 'ACCESS_CONDITIONS_INDICATED'],
    ['accept_access_conditions', 'researcher', 'ACCESS_CONDITIONS_MET'],
    ['grant_access', 'representative', 'RESOURCE_MADE_AVAILABLE'],
  ];

  it('walks a dataset from submitted to made available while the negotiation is in progress', () => {
    let state: DatasetState = datasetChart.initial;
    for (const [event, role, to] of walk) {
      const result = transitionDataset('IN_PROGRESS', state, event, role);
      expect(result, `${event} from ${state}`).toEqual({ ok: true, event, from: state, to });
      if (result.ok) state = result.to;
    }
    expect(state).toBe('RESOURCE_MADE_AVAILABLE');
  });

  it.each(['DRAFT', 'SUBMITTED', 'PAUSED', 'CONCLUDED', 'ABANDONED', 'DECLINED'] as const)(
    'refuses every dataset event while the negotiation is %s',
    (negotiation) => {
      const result = transitionDataset(negotiation, 'SUBMITTED', 'contact_representative', 'admin');
      expect(result).toEqual({ ok: false, refusal: 'not_allowed_now', event: 'contact_representative', state: 'SUBMITTED', allowed: [] });
    },
  );

  it('still refuses the wrong role as such while the negotiation is paused', () => {
    expect(transitionDataset('PAUSED', 'SUBMITTED', 'contact_representative', 'researcher')).toMatchObject({ refusal: 'role_not_allowed' });
  });
});

describe('concluding by itself', () => {
  it('concludes once every dataset is final, whichever final state, RESOURCE_NOT_MADE_AVAILABLE included', () => {
    expect(settleNegotiation('IN_PROGRESS', ['RESOURCE_MADE_AVAILABLE', 'RESOURCE_NOT_MADE_AVAILABLE', 'RESOURCE_UNAVAILABLE'])).toBe(
      'CONCLUDED',
    );
    expect(settleNegotiation('IN_PROGRESS', ['RESOURCE_NOT_MADE_AVAILABLE'])).toBe('CONCLUDED');
  });

  it('waits while any dataset is still moving', () => {
    expect(settleNegotiation('IN_PROGRESS', ['RESOURCE_MADE_AVAILABLE', 'ACCESS_CONDITIONS_MET'])).toBe('IN_PROGRESS');
    expect(settleNegotiation('IN_PROGRESS', [])).toBe('IN_PROGRESS');
  });

  it('leaves a negotiation that is not in progress alone', () => {
    expect(settleNegotiation('PAUSED', ['RESOURCE_MADE_AVAILABLE'])).toBe('PAUSED');
    expect(settleNegotiation('ABANDONED', ['RESOURCE_MADE_AVAILABLE'])).toBe('ABANDONED');
  });
});
