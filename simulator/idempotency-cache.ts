// First answers to POSTs carrying an Idempotency-Key, replayed for later requests with the same key.
import type { Reply } from './reply';

export class IdempotencyCache {
  private readonly answers = new Map<string, Reply>();

  get(method: string, path: string, key: string): Reply | undefined {
    return this.answers.get(cacheKey(method, path, key));
  }

  set(method: string, path: string, key: string, reply: Reply): void {
    this.answers.set(cacheKey(method, path, key), reply);
  }

  clear(): void {
    this.answers.clear();
  }
}

// JSON keeps the three parts apart whatever characters they contain.
function cacheKey(method: string, path: string, key: string): string {
  return JSON.stringify([method, path, key]);
}
