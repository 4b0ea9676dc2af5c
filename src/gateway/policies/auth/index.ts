/**
 * The auth policy: authenticates the caller by the schemes the operation's `security` names (JWT
 * bearer tokens, API keys in a header, query parameter or cookie, basic credentials) and records
 * who it is, and which alternative it satisfied, on the request context. Scopes are checked later,
 * by the scopes policy, once the consumer is known to be entitled (DESIGN.md's data-plane order).
 *
 * Client certificates take part in three ways: an alternative that is `mutualTLS` alone admits a
 * verified certificate bound to a declared consumer (the mtls policy verified and resolved it); an
 * alternative that ANDs `mutualTLS` with other schemes needs the certificate too; and a token bound
 * to a certificate (RFC 8705 `cnf.x5t#S256`) is accepted only over a connection presenting it.
 */
import { ContractError } from '../../../contracts/openapi-document.js';
import { GatewayError } from '../../../errors/problem.js';
import type { Policy, RequestStep } from '../../pipeline/policy.js';
import type { RequestContext } from '../../pipeline/request-context.js';
import type { Principal } from '../jwt-auth/index.js';
import type { ConsumerIndex } from '../consumers/consumer-index.js';
import type { ApiKeyVerifier, KeyRefusal } from './api-key-verifier.js';
import type { ClientCertificates } from '../mtls/client-certificates.js';
import { tokenInvalid } from '../jwt-auth/bearer-errors.js';
import { basicCredentials, describeSource, presented, strip, type CredentialSource } from './credentials.js';
import { challengeOf, keyInvalid, keyMissing, keysUnavailable } from './key-errors.js';
import { securityPlan, securityPointer, type SecurityAlternative, type SecurityPlan } from './security.js';

export { authSchema, type AuthConfig } from './schema.js';
export { apiKeysSchema, type ApiKeysConfig } from './api-keys-schema.js';
export { securityPlan, scopeAlternatives, type SecurityPlan, type SecurityAlternative } from './security.js';
export { ApiKeyVerifier, type KeyVerdict, type KeyRefusal } from './api-key-verifier.js';

/** Why a key source was refused, as counted in `accord_api_key_failures_total{reason}`. */
export type KeyFailureReason = KeyRefusal | 'missing' | 'consumer-unknown' | 'unavailable';

/** What verifying one credential source gave. */
type Outcome =
  | { readonly ok: true; readonly principal?: Principal; readonly consumer?: string; readonly keyId?: string }
  | { readonly ok: false; readonly error: GatewayError };

/** Details of refused keys; they never quote the key. */
const REFUSAL_DETAIL: Record<KeyRefusal, string> = {
  malformed: 'is not an Accord API key (acc_<key id>_<secret>)',
  unknown: 'is not a valid key',
  mismatch: 'is not a valid key',
  revoked: 'was revoked',
  expired: 'has expired',
};

/**
 * RFC 8705 §3: a token bound to a certificate (`cnf.x5t#S256`) is accepted only over a connection
 * presenting that certificate: the one the mtls policy verified, else this connection's, verified
 * all the same. 401 AUTH_TOKEN_INVALID otherwise.
 */
function checkCertificateBinding(ctx: RequestContext, principal: Principal, certificates: ClientCertificates | undefined): void {
  const bound = principal.certificateThumbprint;
  if (bound === undefined) return;
  let shown = ctx.clientCertificate;
  if (shown === undefined && certificates !== undefined) {
    const verdict = certificates.verdictOf(ctx.req);
    if (verdict.kind === 'verified') shown = verdict.certificate;
  }
  if (shown === undefined || shown.thumbprint !== bound) {
    certificates?.count('token-binding');
    throw tokenInvalid(shown === undefined ? 'the token is bound to a client certificate (cnf x5t#S256) and the request presents none' : 'the token is bound to another client certificate (cnf x5t#S256) than the one presented');
  }
}

/** Compiles the step of an operation that accepts more than JWTs. */
function keyAwareStep(plan: SecurityPlan, env: {
  providers: readonly string[];
  authenticate: ((authorization: string | undefined, providers: readonly string[]) => Principal | Promise<Principal>) | undefined;
  verifier: ApiKeyVerifier | undefined;
  certificates: ClientCertificates | undefined;
  consumers: ConsumerIndex;
  onKeyFailure: (reason: KeyFailureReason) => void;
}): RequestStep {
  const { sources, alternatives } = plan;
  // A certificate has no HTTP challenge (the TLS handshake asks for it).
  const challenges = sources.map(challengeOf).filter(Boolean).join(', ');
  const others = (source: CredentialSource): string => sources.filter((s) => s !== source).map(challengeOf).filter(Boolean).join(', ');
  const stripped = sources.filter((s) => s.kind !== 'bearer' && s.kind !== 'certificate');
  const takesKeys = stripped.length > 0;
  const needs = alternatives.map((a) => a.sources.map((s) => describeSource(sources[s]!)).join(' and ')).join('; or ');

  const refuseKey = (source: CredentialSource, reason: KeyFailureReason, detail: string): Outcome => {
    env.onKeyFailure(reason);
    return { ok: false, error: keyInvalid(detail, source, others(source)) };
  };

  const verifyKey = (source: CredentialSource, text: string): Outcome => {
    let keyText = text;
    let user = '';
    if (source.kind === 'basic') {
      const credentials = basicCredentials(text);
      if (!credentials) return refuseKey(source, 'malformed', 'basic credentials are not the base64 form of user-id:password');
      // The key as password (user-id: the consumer id, or empty), or as user-id with no password as Stripe takes it.
      if (credentials.password !== '') {
        keyText = credentials.password;
        user = credentials.user;
      } else {
        keyText = credentials.user;
      }
    }
    const verdict = env.verifier!.verify(keyText);
    if (!verdict.ok) {
      if (verdict.reason === 'unavailable') {
        env.onKeyFailure('unavailable');
        return { ok: false, error: keysUnavailable() };
      }
      const named = verdict.reason === 'revoked' || verdict.reason === 'expired' ? `the key ${verdict.id}` : describeSource(source);
      return refuseKey(source, verdict.reason, `${named} ${REFUSAL_DETAIL[verdict.reason]}`);
    }
    if (user !== '' && user !== verdict.consumer) return refuseKey(source, 'mismatch', 'the basic user-id does not name the consumer of the key');
    return { ok: true, consumer: verdict.consumer, keyId: verdict.id };
  };

  const verifySource = (source: CredentialSource, text: string): Outcome | Promise<Outcome> => {
    // The mtls policy verified the certificate before this step (and refused one it could not).
    if (source.kind === 'certificate') return { ok: true };
    if (source.kind !== 'bearer') return verifyKey(source, text);
    try {
      const verified = env.authenticate!(text, env.providers);
      if (verified instanceof Promise) {
        return verified.then(
          (principal): Outcome => ({ ok: true, principal }),
          (error: unknown): Outcome => {
            if (error instanceof GatewayError) return { ok: false, error };
            throw error;
          },
        );
      }
      return { ok: true, principal: verified };
    } catch (error) {
      if (error instanceof GatewayError) return { ok: false, error };
      throw error;
    }
  };

  const admit = (ctx: RequestContext, alternative: SecurityAlternative, outcomes: ReadonlyArray<Outcome | undefined>): void => {
    let principal: Principal | undefined;
    let consumerId: string | undefined;
    let keyId: string | undefined;
    for (const s of alternative.sources) {
      const outcome = outcomes[s] as Extract<Outcome, { ok: true }>;
      if (outcome.principal) principal = outcome.principal;
      if (outcome.consumer !== undefined) {
        if (consumerId !== undefined && consumerId !== outcome.consumer) {
          env.onKeyFailure('mismatch');
          throw keyInvalid('the keys presented belong to different consumers', sources[s]!, others(sources[s]!));
        }
        consumerId = outcome.consumer;
        keyId = outcome.keyId;
      }
    }
    if (principal) checkCertificateBinding(ctx, principal, env.certificates);
    if (alternative.sources.length === 1 && sources[alternative.sources[0]!]!.kind === 'certificate' && env.consumers.byCertificate(ctx.clientCertificate!) === undefined) {
      // The certificate alone names nobody: it is no credential for a declared consumer.
      throw env.certificates!.refuse('unbound', 'the client certificate is not bound to any consumer');
    }
    ctx.authAlternative = alternative.index;
    if (principal) {
      ctx.principal = principal;
      ctx.consumerId = principal.consumerId;
    }
    if (consumerId !== undefined) {
      const consumer = env.consumers.get(consumerId);
      ctx.apiKeyId = keyId;
      ctx.consumerId = consumerId;
      if (!consumer) {
        env.onKeyFailure('consumer-unknown');
        throw new GatewayError('CONSUMER_NOT_ENTITLED', `the key ${keyId} belongs to consumer "${consumerId}", which is not declared`);
      }
      // The key names its consumer: the consumers policy only checks the entitlement.
      ctx.consumer = consumer;
    }
    for (let i = 0; i < stripped.length; i++) strip(ctx, stripped[i]!);
  };

  const refusal = (texts: ReadonlyArray<string | undefined>, outcomes: ReadonlyArray<Outcome | undefined>): GatewayError => {
    // A credential presented and refused outranks one missing: say what was wrong with it.
    for (const alternative of alternatives) {
      for (const s of alternative.sources) {
        const outcome = outcomes[s];
        if (outcome && !outcome.ok) return outcome.error;
      }
    }
    // Otherwise the alternative closest to complete decides which code tells the caller what to add.
    let missing: CredentialSource[] = [];
    let fewest = Infinity;
    for (const alternative of alternatives) {
      const lacking = alternative.sources.filter((s) => texts[s] === undefined);
      if (lacking.length < fewest) {
        fewest = lacking.length;
        missing = lacking.map((s) => sources[s]!);
      }
    }
    const anyPresented = texts.some((t) => t !== undefined);
    const detail = `the operation needs ${needs}`;
    if (missing.length > 0 && missing.every((s) => s.kind === 'certificate')) return env.certificates!.refuse('missing', `request has no client certificate: ${detail}`);
    // Only a token is missing: said so in Bearer terms, as for JWT-only operations, when the caller
    // sent some credential or the operation takes no key at all (a token or a certificate).
    if (missing.every((s) => s.kind === 'bearer' || s.kind === 'certificate') && (anyPresented || !takesKeys)) {
      return new GatewayError('AUTH_TOKEN_MISSING', `request has no Bearer token: ${detail}`, { headers: { 'www-authenticate': challenges } });
    }
    env.onKeyFailure('missing');
    return keyMissing(anyPresented ? `request lacks ${missing.map(describeSource).join(' and ')}: ${detail}` : `request has no credentials: ${detail}`, challenges);
  };

  const evaluate = (ctx: RequestContext, texts: ReadonlyArray<string | undefined>, outcomes: Array<Outcome | undefined>, from: number): void | Promise<void> => {
    for (let a = from; a < alternatives.length; a++) {
      const alternative = alternatives[a]!;
      let complete = true;
      for (const s of alternative.sources) {
        if (texts[s] === undefined) {
          complete = false;
          break;
        }
      }
      if (!complete) continue;
      let refused = false;
      for (const s of alternative.sources) {
        let outcome = outcomes[s];
        if (outcome === undefined) {
          const verified = verifySource(sources[s]!, texts[s]!);
          if (verified instanceof Promise) {
            return verified.then((settled) => {
              outcomes[s] = settled;
              return evaluate(ctx, texts, outcomes, a);
            });
          }
          outcomes[s] = outcome = verified;
        }
        if (!outcome.ok) {
          refused = true;
          break;
        }
      }
      if (!refused) return admit(ctx, alternative, outcomes);
    }
    throw refusal(texts, outcomes);
  };

  return (ctx) => {
    const texts = sources.map((source) => presented(ctx, source));
    return evaluate(ctx, texts, new Array<Outcome | undefined>(sources.length), 0);
  };
}

export const auth: Policy = {
  name: 'auth',
  create(scope, deps) {
    const { api, file } = scope;
    const providers = api.auth?.providers ?? [];
    return {
      operation(op) {
        const plan = securityPlan(op, file);
        if (!plan) return undefined;
        if (plan.hasCertificate && !api.mtls) {
          throw new ContractError('CONTRACT_INVALID', file, securityPointer(op), `operation ${op.method} ${op.pathTemplate} admits mutualTLS but API "${api.id}" has no mtls configured`);
        }
        if (plan.hasJwt && !api.auth) {
          throw new ContractError('CONTRACT_INVALID', file, securityPointer(op), `operation ${op.method} ${op.pathTemplate} requires a token but API "${api.id}" has no auth.providers configured`);
        }
        if (deps.dryRun) return { request: () => undefined };
        const authenticator = plan.hasJwt ? deps.authenticator : undefined;
        if (plan.hasJwt && !authenticator) throw new TypeError('an authenticator is required for APIs with auth');
        if (plan.jwtOnly) {
          // Bearer tokens only: the path of before keys, unchanged (one header read, a cache hit).
          const first = plan.alternatives[0]!.index;
          const certificates = deps.clientCertificates;
          const admit = (ctx: RequestContext, principal: Principal): void => {
            checkCertificateBinding(ctx, principal, certificates);
            ctx.principal = principal;
            ctx.consumerId = principal.consumerId;
            ctx.authAlternative = first;
          };
          const request: RequestStep = (ctx) => {
            const verified = authenticator!.authenticate(ctx.req.headers.authorization, providers);
            if (verified instanceof Promise) return verified.then((principal) => admit(ctx, principal));
            admit(ctx, verified);
            return undefined;
          };
          return { request };
        }
        const takesKeys = plan.sources.some((source) => source.kind !== 'bearer' && source.kind !== 'certificate');
        const verifier = takesKeys ? deps.apiKeys : undefined;
        if (takesKeys && !verifier) throw new TypeError('an API key verifier is required for operations that take keys');
        verifier?.require();
        if (plan.hasCertificate && !deps.clientCertificates) throw new TypeError(`API "${api.id}" admits mutualTLS but the gateway has no listen.tls`);
        const request = keyAwareStep(plan, {
          providers,
          authenticate: authenticator ? (authorization, accepted) => authenticator.authenticate(authorization, accepted) : undefined,
          verifier,
          certificates: deps.clientCertificates,
          consumers: scope.consumers,
          onKeyFailure: deps.onKeyFailure ?? (() => undefined),
        });
        return { request };
      },
    };
  },
};
