// Bearer token check. Messages never contain what the caller presented.
import { createHash, timingSafeEqual } from 'crypto';
import { errorReply, type Reply } from './reply';

const CHALLENGE = { 'www-authenticate': 'Bearer' };

/** Undefined when the header carries exactly the expected token, otherwise the 401 to send. */
export function checkBearer(authorization: string | undefined, token: string): Reply | undefined {
  if (!authorization) {
    return errorReply(401, 'UNAUTHORIZED', 'Missing Authorization header; send "Authorization: Bearer <token>"', undefined, CHALLENGE);
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match) {
    return errorReply(401, 'UNAUTHORIZED', 'The Authorization header must use the Bearer scheme', undefined, CHALLENGE);
  }
  if (!sameSecret(match[1], token)) {
    return errorReply(401, 'UNAUTHORIZED', 'The bearer token is not valid', undefined, CHALLENGE);
  }
  return undefined;
}

/** Compares digests so neither the length nor the content leaks through timing. */
function sameSecret(presented: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}
