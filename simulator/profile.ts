// What makes a profile: its routes and operations. The request pipeline around them (records,
// body cap, faults, auth, idempotency) is the same for every profile.
import type { OperationId } from './operation-ids';
import type { Reply } from './reply';
import type { Route, RouteParams } from './routes';

export interface OperationRequest {
  params: RouteParams;
  query: URLSearchParams;
  /** The body as text ('' when none). */
  raw: string;
  /** The simulator's clock when the request is applied. */
  nowMs: number;
}

export interface Profile<Op extends OperationId = OperationId> {
  readonly routes: readonly Route[];
  readonly operations: readonly Op[];
  /** The status the operation answers when it succeeds: what body faults answer with. */
  successStatus(operation: Op): number;
  /** The real answer; applies the operation's effect when it succeeds. */
  answer(operation: Op, request: OperationRequest): Reply | Promise<Reply>;
  /** Well-formed JSON that breaks the description of the operation's success answer. */
  invalidBody(operation: Op): unknown;
}
