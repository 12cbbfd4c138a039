// Maps a method and path onto an operation of the profile's route table (base path /v1).
import type { OperationId } from './operation-ids';

export interface Route {
  /** Anchored; one capture group per name in `params`. */
  pattern: RegExp;
  params: readonly string[];
  methods: Readonly<Record<string, OperationId>>;
  /** Methods the description has at this path that the simulator does not serve (yet). */
  notSimulated?: readonly string[];
}

export type RouteParams = Readonly<Record<string, string>>;

export type RouteMatch =
  | { kind: 'operation'; operation: OperationId; params: RouteParams }
  | { kind: 'not-found' }
  | { kind: 'method-not-allowed'; allow: string[] }
  | { kind: 'not-simulated' };

export function matchRoute(routes: readonly Route[], method: string, path: string): RouteMatch {
  for (const route of routes) {
    const match = route.pattern.exec(path);
    if (!match) continue;
    const operation = route.methods[method];
    if (!operation) {
      if (route.notSimulated?.includes(method)) return { kind: 'not-simulated' };
      return { kind: 'method-not-allowed', allow: [...Object.keys(route.methods), ...(route.notSimulated ?? [])] };
    }
    const params = decodeParams(route.params, match.slice(1));
    return params ? { kind: 'operation', operation, params } : { kind: 'not-found' };
  }
  return { kind: 'not-found' };
}

/** Undefined when a segment is not valid percent-encoding: such a path names nothing. */
function decodeParams(names: readonly string[], segments: string[]): RouteParams | undefined {
  try {
    return Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(segments[i])]));
  } catch {
    return undefined;
  }
}
