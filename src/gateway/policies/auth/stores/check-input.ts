/** Checks of what a caller asks a key store to issue, shared by every store. */
import { CONSUMER_ID_PATTERN } from '../../consumers/schema.js';
import { KeyStoreInputError, type CreateKeyInput } from './key-store.js';

const CONSUMER_ID = new RegExp(CONSUMER_ID_PATTERN);

/** Throws KeyStoreInputError for a consumer id no consumer can have, or an expiry not in the future. */
export function checkCreateInput(input: CreateKeyInput, now: number = Date.now()): void {
  if (!CONSUMER_ID.test(input.consumer)) throw new KeyStoreInputError(`"${input.consumer}" is not a consumer id (${CONSUMER_ID_PATTERN})`);
  if (input.expiresAt !== undefined) {
    if (Number.isNaN(input.expiresAt.getTime())) throw new KeyStoreInputError('expiry is not a valid date');
    if (input.expiresAt.getTime() <= now) throw new KeyStoreInputError(`expiry ${input.expiresAt.toISOString()} is not in the future`);
  }
}
