/**
 * The one ordered list of data-plane policies (DESIGN.md: cheapest rejection first). Request
 * steps run top to bottom; response steps unwind bottom to top; the proxy is terminal and not a
 * policy. Route match, client address and request identity happen before any of these, in
 * gateway.ts; response validation is part of the proxy, which buffers the upstream's answer.
 */
import type { Policy } from './policy.js';
import { ipRules } from '../policies/ip-rules/index.js';
import { mtls } from '../policies/mtls/index.js';
import { auth } from '../policies/auth/index.js';
import { consumers } from '../policies/consumers/index.js';
import { scopes } from '../policies/scopes/index.js';
import { rateLimit } from '../policies/rate-limit/index.js';
import { requestValidation } from '../policies/request-validation/index.js';
import { lifecycle } from '../policies/lifecycle/index.js';
import { idempotency } from '../policies/idempotency/index.js';

export const POLICY_ORDER: readonly Policy[] = [
  // the client address against the API's allow and deny lists
  ipRules,
  // the client certificate (mTLS), and the consumer it is bound to
  mtls,
  // authentication by the schemes the operation's `security` names
  auth,
  // consumer resolution and entitlement to this API major
  consumers,
  // scopes the operation's `security` requires
  scopes,
  // rate limit and quota
  rateLimit,
  // registry lifecycle: retired versions refused (410), deprecated ones announced
  lifecycle,
  // the request against the contract (body buffered here)
  requestValidation,
  // Idempotency-Key: claimed last, right before forwarding, so that a request any step above
  // refuses (a bad token, a spent limit, a body that breaks the contract) never claims a key: its
  // retry, once fixed, must be a new request, not a replay of the refusal. The key is also scoped
  // to the consumer, which is known only after authentication.
  idempotency,
];
