/** One upstream target: its parsed URL, connection pool and health state, built once at load. */
import http from 'node:http';
import https from 'node:https';
import type { PoolConfig, TargetConfig } from './schema.js';
import type { TargetCircuit } from './circuit-breaker.js';

/** A target of a served API version. Mutable fields are its live state, owned by its UpstreamGroup. */
export class UpstreamTarget {
  readonly client: typeof http | typeof https;
  readonly hostname: string;
  readonly port: number;
  /** The target's own path prefix without a trailing '/', '' for none. */
  readonly basePath: string;
  /** The Host header the upstream receives. */
  readonly hostHeader: string;
  /** The target as logs and metric labels name it (scheme, host, port and path; never credentials, which the config refuses). */
  readonly label: string;
  /** `"target":"…"` for the access log, serialised once. */
  readonly logField: string;
  readonly weight: number;
  readonly agent: http.Agent;
  /** Attempts in flight to this target. */
  outstanding = 0;
  /** Smooth weighted round-robin's running weight. */
  currentWeight = 0;
  /** Consecutive failed attempts (passive health). */
  consecutiveFailures = 0;
  /** Out of balancing after consecutive failures (passive health). */
  ejected = false;
  /** False while active health checks find it failing. */
  healthy = true;
  circuit: TargetCircuit | undefined;

  constructor(config: TargetConfig, pool: PoolConfig, defaultIdleMs: number) {
    const url = new URL(config.url);
    const isHttps = url.protocol === 'https:';
    if (!isHttps && url.protocol !== 'http:') throw new TypeError(`upstream ${config.url} is not http or https`);
    this.client = isHttps ? https : http;
    this.port = url.port ? Number(url.port) : isHttps ? 443 : 80;
    this.hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    this.basePath = url.pathname === '/' ? '' : url.pathname.replace(/\/+$/, '');
    this.hostHeader = url.host;
    this.label = `${url.protocol}//${url.host}${this.basePath}`;
    this.logField = `"target":${JSON.stringify(this.label)}`;
    this.weight = config.weight;
    // The agent's `timeout` is the idle timeout of a pooled connection: node:http destroys a free
    // socket when it fires (and honours a shorter Keep-Alive timeout the upstream announces).
    const agentOptions: http.AgentOptions = { keepAlive: true, keepAliveMsecs: 1000, maxFreeSockets: pool.maxFreeSockets, timeout: pool.idleTimeoutMs ?? defaultIdleMs };
    if (pool.maxSockets !== undefined) agentOptions.maxSockets = pool.maxSockets;
    this.agent = isHttps ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
  }

  /** Whether the balancer may send an attempt here now. */
  isAvailable(now: number): boolean {
    return !this.ejected && this.healthy && (this.circuit === undefined || this.circuit.isAvailable(now));
  }
}
