// A state chart as plain data, and the one pure function that moves along it. Hub and web both read
// the same chart, so the web app never offers a button the hub would refuse.

/** Who may fire an event: the negotiation's author, a representative of that dataset, a platform admin. */
export const lifecycleRoles = ['researcher', 'representative', 'admin'] as const;
export type LifecycleRole = (typeof lifecycleRoles)[number];

export interface ChartState<S extends string> {
  id: S;
  label: string;
  description: string;
  /** No event leaves a final state. */
  final: boolean;
}

export interface ChartEvent<S extends string, E extends string> {
  id: E;
  label: string;
  from: readonly S[];
  to: S;
  roles: readonly LifecycleRole[];
}

export interface StateChart<S extends string, E extends string> {
  name: string;
  initial: S;
  /** In drawing order: roughly the order a request moves through them. */
  states: readonly ChartState<S>[];
  events: readonly ChartEvent<S, E>[];
}

export type TransitionResult<S extends string, E extends string> =
  | { ok: true; event: E; from: S; to: S }
  /** The role may fire this event, but not in this state: a 409, naming what the role may do now. */
  | { ok: false; refusal: 'not_allowed_now'; event: E; state: S; allowed: E[] }
  /** The role may never fire this event: a 403, naming the roles that may. */
  | { ok: false; refusal: 'role_not_allowed'; event: E; role: LifecycleRole; roles: LifecycleRole[] };

/** The events `role` may fire in `state`, in chart order. */
export function allowedEvents<S extends string, E extends string>(chart: StateChart<S, E>, state: S, role: LifecycleRole): E[] {
  return chart.events.filter((e) => e.from.includes(state) && e.roles.includes(role)).map((e) => e.id);
}

/**
 * Fires `event` in `state` as `role`. The role is checked first: an event the role can never fire
 * is refused as such, whatever the state, so a 409's list of allowed events never leaks what other
 * roles could do.
 */
export function transition<S extends string, E extends string>(
  chart: StateChart<S, E>,
  state: S,
  event: E,
  role: LifecycleRole,
): TransitionResult<S, E> {
  const def = chart.events.find((e) => e.id === event);
  if (!def) throw new Error(`chart ${chart.name} has no event ${event}`);
  if (!def.roles.includes(role)) return { ok: false, refusal: 'role_not_allowed', event, role, roles: [...def.roles] };
  if (!def.from.includes(state)) return { ok: false, refusal: 'not_allowed_now', event, state, allowed: allowedEvents(chart, state, role) };
  return { ok: true, event, from: state, to: def.to };
}

export function isFinal<S extends string, E extends string>(chart: StateChart<S, E>, state: S): boolean {
  return chart.states.some((s) => s.id === state && s.final);
}

/** Every state some sequence of events leads to from the initial one. */
export function reachableStates<S extends string, E extends string>(chart: StateChart<S, E>): Set<S> {
  const seen = new Set<S>([chart.initial]);
  const queue: S[] = [chart.initial];
  for (let s = queue.shift(); s !== undefined; s = queue.shift()) {
    for (const e of chart.events) {
      if (e.from.includes(s) && !seen.has(e.to)) {
        seen.add(e.to);
        queue.push(e.to);
      }
    }
  }
  return seen;
}
