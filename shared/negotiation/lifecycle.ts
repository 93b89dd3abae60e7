// The access-negotiation lifecycle: one chart for the negotiation, one for each requested dataset,
// modelled on the BBMRI-ERIC Negotiator that EUCAIM runs, without its known defects: every state is
// reached by a real event (RETURNED_FOR_RESUBMISSION included), an event that is not allowed now
// is refused with the events that are, and a negotiation concludes by itself once every dataset is
// in a final state, RESOURCE_NOT_MADE_AVAILABLE included.
import { z } from 'zod';
import { isFinal, type StateChart, transition, type LifecycleRole, type TransitionResult } from './state-chart.ts';

export const negotiationStates = ['DRAFT', 'SUBMITTED', 'IN_PROGRESS', 'PAUSED', 'CONCLUDED', 'ABANDONED', 'DECLINED'] as const;
export type NegotiationState = (typeof negotiationStates)[number];
export const negotiationEvents = ['submit', 'approve', 'decline', 'pause', 'resume', 'abandon', 'conclude'] as const;
export type NegotiationEvent = (typeof negotiationEvents)[number];

export const datasetStates = [
  'SUBMITTED',
  'REPRESENTATIVE_CONTACTED',
  'REPRESENTATIVE_UNREACHABLE',
  'RETURNED_FOR_RESUBMISSION',
  'CHECKING_AVAILABILITY',
  'RESOURCE_AVAILABLE',
  'RESOURCE_UNAVAILABLE_WILLING_TO_COLLECT',
  'ACCESS_CONDITIONS_INDICATED',
  'ACCESS_CONDITIONS_MET',
  'RESOURCE_MADE_AVAILABLE',
  'RESOURCE_NOT_MADE_AVAILABLE',
  'RESOURCE_UNAVAILABLE',
] as const;
export type DatasetState = (typeof datasetStates)[number];
export const datasetEvents = [
  'contact_representative',
  'mark_unreachable',
  'return_for_resubmission',
  'resubmit',
  'check_availability',
  'step_away',
  'mark_available',
  'mark_unavailable',
  'mark_willing_to_collect',
  'indicate_access_conditions',
  'accept_access_conditions',
  'decline_access_conditions',
  'grant_access',
] as const;
export type DatasetEvent = (typeof datasetEvents)[number];

export const negotiationEventSchema = z.enum(negotiationEvents);
export const datasetEventSchema = z.enum(datasetEvents);

export const negotiationChart: StateChart<NegotiationState, NegotiationEvent> = {
  name: 'negotiation',
  initial: 'DRAFT',
  states: [
    { id: 'DRAFT', label: 'Draft', final: false, description: 'The researcher is filling in the application form.' },
    { id: 'SUBMITTED', label: 'Under review', final: false, description: 'Submitted; the access committee checks eligibility.' },
    { id: 'IN_PROGRESS', label: 'In progress', final: false, description: 'Full review; each dataset moves through its own states.' },
    { id: 'PAUSED', label: 'Paused', final: false, description: 'On hold; no dataset moves until it is resumed.' },
    {
      id: 'CONCLUDED',
      label: 'Concluded',
      final: true,
      description: 'Every requested dataset reached a final state, or the request was closed.',
    },
    { id: 'ABANDONED', label: 'Abandoned', final: true, description: 'Withdrawn by the researcher.' },
    { id: 'DECLINED', label: 'Declined', final: true, description: 'Refused by EUCAIM after review.' },
  ],
  events: [
    { id: 'submit', label: 'Submit', from: ['DRAFT'], to: 'SUBMITTED', roles: ['researcher'] },
    { id: 'approve', label: 'Approve', from: ['SUBMITTED'], to: 'IN_PROGRESS', roles: ['admin'] },
    { id: 'decline', label: 'Decline', from: ['SUBMITTED'], to: 'DECLINED', roles: ['admin'] },
    { id: 'pause', label: 'Pause', from: ['IN_PROGRESS'], to: 'PAUSED', roles: ['admin'] },
    { id: 'resume', label: 'Resume', from: ['PAUSED'], to: 'IN_PROGRESS', roles: ['admin'] },
    { id: 'abandon', label: 'Abandon', from: ['SUBMITTED', 'IN_PROGRESS', 'PAUSED'], to: 'ABANDONED', roles: ['researcher'] },
    { id: 'conclude', label: 'Conclude', from: ['IN_PROGRESS'], to: 'CONCLUDED', roles: ['researcher', 'admin'] },
  ],
};

const representative: readonly LifecycleRole[] = ['representative'];

export const datasetChart: StateChart<DatasetState, DatasetEvent> = {
  name: 'dataset',
  initial: 'SUBMITTED',
  states: [
    { id: 'SUBMITTED', label: 'Submitted', final: false, description: 'Requested; its representative has not been contacted yet.' },
    {
      id: 'REPRESENTATIVE_CONTACTED',
      label: 'Representative contacted',
      final: false,
      description: 'The representative was told about the request.',
    },
    {
      id: 'REPRESENTATIVE_UNREACHABLE',
      label: 'Representative unreachable',
      final: false,
      description: 'No representative answered; an admin tries again.',
    },
    {
      id: 'RETURNED_FOR_RESUBMISSION',
      label: 'Returned for resubmission',
      final: false,
      description: 'The representative asks the researcher to change the request.',
    },
    {
      id: 'CHECKING_AVAILABILITY',
      label: 'Checking availability',
      final: false,
      description: 'Data is being collected, minimised and prepared.',
    },
    { id: 'RESOURCE_AVAILABLE', label: 'Resource available', final: false, description: 'The data requested is available.' },
    {
      id: 'RESOURCE_UNAVAILABLE_WILLING_TO_COLLECT',
      label: 'Unavailable, willing to collect',
      final: false,
      description: 'Not available now; the holder is willing to collect it.',
    },
    {
      id: 'ACCESS_CONDITIONS_INDICATED',
      label: 'Access conditions indicated',
      final: false,
      description: 'The researcher received the conditions and documents to sign.',
    },
    { id: 'ACCESS_CONDITIONS_MET', label: 'Access conditions met', final: false, description: 'The conditions were accepted and checked.' },
    {
      id: 'RESOURCE_MADE_AVAILABLE',
      label: 'Resource made available',
      final: true,
      description: 'Access granted: the researcher holds a signed grant.',
    },
    {
      id: 'RESOURCE_NOT_MADE_AVAILABLE',
      label: 'Resource not made available',
      final: true,
      description: 'The researcher could not accept the access conditions.',
    },
    {
      id: 'RESOURCE_UNAVAILABLE',
      label: 'Resource unavailable',
      final: true,
      description: 'The data requested does not match the data available.',
    },
  ],
  events: [
    {
      id: 'contact_representative',
      label: 'Contact representative',
      from: ['SUBMITTED', 'REPRESENTATIVE_UNREACHABLE'],
      to: 'REPRESENTATIVE_CONTACTED',
      roles: ['admin'],
    },
    {
      id: 'mark_unreachable',
      label: 'Mark unreachable',
      from: ['SUBMITTED', 'REPRESENTATIVE_CONTACTED'],
      to: 'REPRESENTATIVE_UNREACHABLE',
      roles: ['admin'],
    },
    {
      id: 'return_for_resubmission',
      label: 'Return for resubmission',
      from: ['REPRESENTATIVE_CONTACTED', 'CHECKING_AVAILABILITY'],
      to: 'RETURNED_FOR_RESUBMISSION',
      roles: ['representative', 'admin'],
    },
    { id: 'resubmit', label: 'Resubmit', from: ['RETURNED_FOR_RESUBMISSION'], to: 'REPRESENTATIVE_CONTACTED', roles: ['researcher'] },
    {
      id: 'check_availability',
      label: 'Check availability',
      from: ['REPRESENTATIVE_CONTACTED'],
      to: 'CHECKING_AVAILABILITY',
      roles: representative,
    },
    { id: 'step_away', label: 'Step away', from: ['REPRESENTATIVE_CONTACTED'], to: 'RESOURCE_UNAVAILABLE', roles: representative },
    { id: 'mark_available', label: 'Mark available', from: ['CHECKING_AVAILABILITY'], to: 'RESOURCE_AVAILABLE', roles: representative },
    {
      id: 'mark_unavailable',
      label: 'Mark unavailable',
      from: ['CHECKING_AVAILABILITY'],
      to: 'RESOURCE_UNAVAILABLE',
      roles: representative,
    },
    {
      id: 'mark_willing_to_collect',
      label: 'Unavailable, willing to collect',
      from: ['CHECKING_AVAILABILITY'],
      to: 'RESOURCE_UNAVAILABLE_WILLING_TO_COLLECT',
      roles: representative,
    },
    {
      id: 'indicate_access_conditions',
      label: 'Indicate access conditions',
      from: ['RESOURCE_AVAILABLE', 'RESOURCE_UNAVAILABLE_WILLING_TO_COLLECT'],
      to: 'ACCESS_CONDITIONS_INDICATED',
      roles: representative,
    },
    {
      id: 'accept_access_conditions',
      label: 'Accept access conditions',
      from: ['ACCESS_CONDITIONS_INDICATED'],
      to: 'ACCESS_CONDITIONS_MET',
      roles: ['researcher'],
    },
    {
      id: 'decline_access_conditions',
      label: 'Decline access conditions',
      from: ['ACCESS_CONDITIONS_INDICATED'],
      to: 'RESOURCE_NOT_MADE_AVAILABLE',
      roles: ['researcher'],
    },
    { id: 'grant_access', label: 'Grant access', from: ['ACCESS_CONDITIONS_MET'], to: 'RESOURCE_MADE_AVAILABLE', roles: representative },
  ],
};

/** Datasets move only while their negotiation is in progress (not in draft, under review, paused or closed). */
export const DATASETS_MOVE_WHILE: readonly NegotiationState[] = ['IN_PROGRESS'];

/** The lifecycle as served (`GET /api/v1/negotiation-lifecycle`) and drawn by the web app. */
export const lifecycle = {
  negotiation: negotiationChart,
  dataset: datasetChart,
  datasetsMoveWhile: DATASETS_MOVE_WHILE,
  autoConclude: {
    event: 'conclude' as NegotiationEvent,
    from: 'IN_PROGRESS' as NegotiationState,
    when: 'every requested dataset is in a final state',
  },
};

/**
 * Fires a dataset event, refusing it (409, nothing allowed) while the negotiation is not in
 * progress: a paused or closed request must not keep moving underneath.
 */
export function transitionDataset(
  negotiation: NegotiationState,
  state: DatasetState,
  event: DatasetEvent,
  role: LifecycleRole,
): TransitionResult<DatasetState, DatasetEvent> {
  const result = transition(datasetChart, state, event, role);
  if (result.ok && !DATASETS_MOVE_WHILE.includes(negotiation)) return { ok: false, refusal: 'not_allowed_now', event, state, allowed: [] };
  return result;
}

/**
 * The negotiation's next state once its datasets settled: CONCLUDED when it is in progress and
 * every requested dataset is in a final state (any final state counts), otherwise unchanged.
 */
export function settleNegotiation(negotiation: NegotiationState, datasets: readonly DatasetState[]): NegotiationState {
  if (negotiation !== lifecycle.autoConclude.from || datasets.length === 0) return negotiation;
  return datasets.every((s) => isFinal(datasetChart, s)) ? 'CONCLUDED' : negotiation;
}
