/**
 * The TLS files of the data plane (listener key and certificate, client CA bundle, CRL): read at
 * start, checked, and reloaded when they change. A file that fails to load on reload leaves the
 * previous material in service.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createSecureContext, type SecureContextOptions } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import type { Logger } from '../../../observability/logger.js';
import { watchConfig, type ConfigWatcher } from '../../../config/config-watcher.js';
import { issuerOf, parseCrlFile } from './crl.js';
import type { ListenTlsConfig } from './schema.js';

/** Which of the files a reload or failure concerns (a metric label). */
export type TlsFileKind = 'listener' | 'ca' | 'crl';

/** The trust placed in client certificates at one moment; replaced whole on reload. */
export interface ClientTrust {
  /** The CA bundle: every certificate is a trust anchor. */
  readonly anchors: readonly X509Certificate[];
  /** Revoked serial numbers (normalised hex) by the fingerprint256 of the anchor that signed the CRL. */
  readonly revoked: ReadonlyMap<string, ReadonlySet<string>>;
  /** Changes whenever anchors or revocations change: verdicts cached under an older one are stale. */
  readonly generation: number;
}

/** What the material reports about reloads (metrics live with the composition root). */
export interface TlsMaterialEvents {
  onReload?(kind: TlsFileKind, outcome: 'success' | 'failure'): void;
}

/** A file problem at start, with the config pointer of the field that names the file. */
export class TlsFileError extends Error {
  constructor(
    readonly pointer: string,
    message: string,
  ) {
    super(message);
  }
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** The certificates of a PEM bundle; throws when it holds none or one is unreadable. */
export function readCertificateBundle(pem: string): X509Certificate[] {
  const blocks = pem.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) throw new Error('no PEM "CERTIFICATE" block');
  return blocks.map((block) => new X509Certificate(block));
}

/** Loaded TLS files, with reload and a watcher. */
export class TlsMaterial {
  private readonly files: { key?: string; cert?: string; ca: string; crl?: string };
  private readonly minVersion: ListenTlsConfig['minVersion'];
  private readonly logger: Logger;
  private readonly events: TlsMaterialEvents;
  private listener: SecureContextOptions | undefined;
  /** Earliest notAfter (ms) of the listener's certificate chain in service. */
  private listenerNotAfter: number | undefined;
  private current: ClientTrust;
  private caPem: string;
  private watcher: ConfigWatcher | undefined;
  private readonly secureContextListeners: Array<(options: SecureContextOptions) => void> = [];

  /** Reads every file now; throws TlsFileError naming the config field of a file that cannot be used. */
  constructor(config: ListenTlsConfig, baseDir: string, logger: Logger, events: TlsMaterialEvents = {}) {
    const at = (path: string | undefined): string | undefined => (path === undefined ? undefined : resolve(baseDir, path));
    this.files = { key: at(config.key), cert: at(config.cert), ca: at(config.ca)!, crl: at(config.crl) };
    this.minVersion = config.minVersion;
    this.logger = logger.child({ component: 'tls' });
    this.events = events;
    const anchors = this.readAnchors('/listen/tls/ca');
    this.caPem = anchors.pem;
    this.listener = this.files.key !== undefined ? this.readListener(this.caPem) : undefined;
    if (this.listener) this.listenerNotAfter = certificateNotAfter(this.listener.cert as Buffer);
    this.current = { anchors: anchors.certificates, revoked: this.readRevocations(anchors.certificates), generation: 1 };
  }

  /** True when the listener itself speaks TLS. */
  get servesTls(): boolean {
    return this.listener !== undefined;
  }

  /** The options of the listener's secure context (key, certificate, CA, minimum version). */
  secureContextOptions(): SecureContextOptions | undefined {
    return this.listener;
  }

  /** The trust in client certificates now. */
  get trust(): ClientTrust {
    return this.current;
  }

  /**
   * The earliest notAfter (Unix seconds) of the certificates in service: the listener's chain and
   * the client CA bundle (the certificate expiry metric reads it at each scrape).
   */
  certificateExpiries(): Array<{ kind: 'listener' | 'client-ca'; notAfterSeconds: number }> {
    const out: Array<{ kind: 'listener' | 'client-ca'; notAfterSeconds: number }> = [];
    if (this.listenerNotAfter !== undefined) out.push({ kind: 'listener', notAfterSeconds: this.listenerNotAfter / 1000 });
    const ca = earliestNotAfter(this.current.anchors);
    if (ca !== undefined) out.push({ kind: 'client-ca', notAfterSeconds: ca / 1000 });
    return out;
  }

  /** Registers who applies a new secure context (the HTTPS server's `setSecureContext`). */
  onSecureContext(apply: (options: SecureContextOptions) => void): void {
    this.secureContextListeners.push(apply);
  }

  /**
   * Re-reads the files of `kind`; on any failure the previous material stays in service, and the
   * failure is logged and reported. True when the new material is in service.
   */
  reload(kind: TlsFileKind): boolean {
    try {
      if (kind === 'crl') {
        this.current = { anchors: this.current.anchors, revoked: this.readRevocations(this.current.anchors), generation: this.current.generation + 1 };
      } else {
        const anchors = kind === 'ca' ? this.readAnchors('/listen/tls/ca') : { pem: this.caPem, certificates: this.current.anchors };
        // A new CA bundle must still verify the CRL, and the listener's context embeds the bundle.
        const revoked = kind === 'ca' ? this.readRevocations(anchors.certificates) : this.current.revoked;
        const listener = this.files.key !== undefined ? this.readListener(anchors.pem) : undefined;
        if (listener) for (const apply of this.secureContextListeners) apply(listener);
        if (listener) this.listenerNotAfter = certificateNotAfter(listener.cert as Buffer);
        this.listener = listener;
        this.caPem = anchors.pem;
        this.current = { anchors: anchors.certificates, revoked, generation: this.current.generation + 1 };
      }
      this.logger.info({ kind, generation: this.current.generation }, 'TLS files reloaded');
      this.events.onReload?.(kind, 'success');
      return true;
    } catch (error) {
      this.logger.error({ kind, err: { message: (error as Error).message } }, 'TLS file reload failed; the previous TLS material stays in service');
      this.events.onReload?.(kind, 'failure');
      return false;
    }
  }

  /** Watches the files' folders; a burst of changes reloads the kinds it touched. */
  async watch(debounceMs?: number): Promise<void> {
    const kinds = new Map<string, TlsFileKind>();
    if (this.files.key) kinds.set(this.files.key, 'listener');
    if (this.files.cert) kinds.set(this.files.cert, 'listener');
    kinds.set(this.files.ca, 'ca');
    if (this.files.crl) kinds.set(this.files.crl, 'crl');
    this.watcher = watchConfig({
      dirs: [...new Set([...kinds.keys()].map((file) => dirname(file)))],
      debounceMs,
      onChange: (paths) => {
        const touched = new Set(paths.map((p) => kinds.get(resolve(p))).filter((k): k is TlsFileKind => k !== undefined));
        // A new CA bundle re-reads the CRL and the listener too.
        if (touched.has('ca')) this.reload('ca');
        else {
          if (touched.has('listener')) this.reload('listener');
          if (touched.has('crl')) this.reload('crl');
        }
      },
      onError: (error) => this.logger.warn({ err: { message: error.message } }, 'TLS file watch failed; restart to pick up new TLS files'),
    });
    await this.watcher.ready;
  }

  /** Stops watching. */
  async close(): Promise<void> {
    await this.watcher?.close();
  }

  private read(path: string, pointer: string): Buffer {
    try {
      return readFileSync(path);
    } catch (error) {
      throw new TlsFileError(pointer, `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }

  private readAnchors(pointer: string): { pem: string; certificates: X509Certificate[] } {
    const pem = this.read(this.files.ca, pointer).toString('utf8');
    try {
      return { pem, certificates: readCertificateBundle(pem) };
    } catch (error) {
      throw new TlsFileError(pointer, `${this.files.ca}: not a PEM certificate bundle (${(error as Error).message})`);
    }
  }

  private readListener(caPem: string): SecureContextOptions {
    const key = this.read(this.files.key!, '/listen/tls/key');
    const cert = this.read(this.files.cert!, '/listen/tls/cert');
    const options: SecureContextOptions = { key, cert, ca: caPem, minVersion: this.minVersion };
    try {
      // Built once here only to check that key and certificate are usable and belong together.
      createSecureContext(options);
    } catch (error) {
      throw new TlsFileError('/listen/tls/key', `${this.files.key} with ${this.files.cert}: ${(error as Error).message}`);
    }
    return options;
  }

  private readRevocations(anchors: readonly X509Certificate[]): Map<string, Set<string>> {
    const revoked = new Map<string, Set<string>>();
    if (this.files.crl === undefined) return revoked;
    let lists;
    try {
      lists = parseCrlFile(this.read(this.files.crl, '/listen/tls/crl'));
    } catch (error) {
      if (error instanceof TlsFileError) throw error;
      throw new TlsFileError('/listen/tls/crl', `${this.files.crl}: not a CRL (${(error as Error).message})`);
    }
    const now = Date.now();
    for (const list of lists) {
      const anchor = issuerOf(list, anchors);
      if (!anchor) throw new TlsFileError('/listen/tls/crl', `${this.files.crl}: a CRL in it is not signed by any CA of ${this.files.ca}`);
      if (list.nextUpdate !== undefined && list.nextUpdate < now) {
        this.logger.warn({ file: this.files.crl, nextUpdate: new Date(list.nextUpdate).toISOString() }, 'CRL is past its nextUpdate; it is still applied until a newer one replaces it');
      }
      let set = revoked.get(anchor.fingerprint256);
      if (!set) revoked.set(anchor.fingerprint256, (set = new Set()));
      for (const serial of list.revoked) set.add(serial);
    }
    return revoked;
  }
}

/** The earliest notAfter (ms since the epoch) of some certificates, undefined when none. */
export function earliestNotAfter(certificates: readonly X509Certificate[]): number | undefined {
  let earliest: number | undefined;
  for (const certificate of certificates) {
    const notAfter = Date.parse(certificate.validTo);
    if (Number.isFinite(notAfter) && (earliest === undefined || notAfter < earliest)) earliest = notAfter;
  }
  return earliest;
}

/** The earliest notAfter of a PEM chain already accepted by createSecureContext (undefined if it cannot be read). */
export function certificateNotAfter(pem: Buffer | string): number | undefined {
  try {
    return earliestNotAfter(readCertificateBundle(pem.toString()));
  } catch {
    return undefined;
  }
}
