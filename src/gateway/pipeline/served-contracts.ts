/**
 * Which contract serves each major of an API, and where its document comes from: the configured
 * versions and their files, or the registry (the highest version of each major that is not
 * retired, else the highest retired one, so that the major answers 410 with its successor).
 */
import { findContractFile, type LoadedConfig } from '../../config/load-config.js';
import type { ApiConfig, ApiVersionConfig, TargetConfig } from '../../config/schema.js';
import { ContractError, loadOpenApi, type OpenApiDocument } from '../../contracts/openapi-document.js';
import { compareSemVer, parseSemVer, type SemVer } from '../../governance/check/contract-version.js';
import type { VersionRecord } from '../../registry/model.js';
import { registeredName } from '../../registry/register-version.js';
import type { RegistryStore } from '../../registry/store/registry-store.js';

/** The lifecycle of a served version, as the lifecycle policy announces and enforces it. */
export interface ServedLifecycle {
  readonly status: VersionRecord['status'];
  readonly deprecatedAt?: string;
  readonly sunset?: string;
  /** The version to move to and where it is served (`<basePath>/v<major>`). */
  readonly successor?: { readonly version: string; readonly path: string };
}

/** The contract serving one major of an API. */
export interface ServedContract {
  readonly version: string;
  readonly semver: SemVer;
  /** Undefined for a registered version that neither `versions[]` nor `upstream` gives an upstream: not served. */
  readonly targets: readonly TargetConfig[] | undefined;
  /** The file, or the registered document's name, for errors and logs. */
  readonly name: string;
  /** The registered document's digest: the same digest compiles to the same operations. */
  readonly digest?: string;
  load(): OpenApiDocument;
  /** Undefined when served from files (no lifecycle). */
  readonly lifecycle?: ServedLifecycle;
}

/** A registered version chosen to serve a major, with its document. */
interface ChosenVersion {
  readonly record: VersionRecord;
  readonly text: string;
}

/** What the registry held for the served APIs when it was read. */
export interface RegistrySnapshot {
  /** Every version of each served API, oldest first. */
  readonly versions: ReadonlyMap<string, readonly VersionRecord[]>;
  /** The version serving each major, with its document, by API. */
  readonly chosen: ReadonlyMap<string, readonly ChosenVersion[]>;
}

function semverOf(record: VersionRecord): SemVer {
  // Registration only stores semver versions.
  return parseSemVer(record.version)!;
}

/** The version serving each major among `versions`: the highest not retired, else the highest retired. */
function choosePerMajor(versions: readonly VersionRecord[]): VersionRecord[] {
  const byMajor = new Map<number, VersionRecord>();
  const rank = (r: VersionRecord): number => (r.status === 'retired' ? 0 : 1);
  for (const record of versions) {
    const major = semverOf(record).major;
    const current = byMajor.get(major);
    if (!current || rank(record) > rank(current) || (rank(record) === rank(current) && compareSemVer(semverOf(record), semverOf(current)) > 0)) byMajor.set(major, record);
  }
  return [...byMajor.values()].sort((a, b) => compareSemVer(semverOf(a), semverOf(b)));
}

/** Reads the registry: every version of the APIs served, and the documents of those chosen to serve. */
export async function readRegistrySnapshot(store: RegistryStore, apiIds: ReadonlySet<string>): Promise<RegistrySnapshot> {
  const versions = new Map<string, VersionRecord[]>();
  for (const record of await store.list()) {
    if (!apiIds.has(record.api)) continue;
    const list = versions.get(record.api) ?? [];
    list.push(record);
    versions.set(record.api, list);
  }
  const chosen = new Map<string, ChosenVersion[]>();
  for (const [api, list] of versions) {
    const served: ChosenVersion[] = [];
    for (const record of choosePerMajor(list)) {
      const text = await store.document(api, record.version);
      // A record without its document would be a torn store; the stores write both or neither.
      if (text === undefined) throw new Error(`registry: ${api} ${record.version} has no document`);
      served.push({ record, text });
    }
    chosen.set(api, served);
  }
  return { versions, chosen };
}

/** The successor of a version: the one its deprecation named, else (for a retired one) the newest later major still served. */
function successorOf(api: ApiConfig, record: VersionRecord, all: readonly VersionRecord[]): ServedLifecycle['successor'] {
  let version = record.successor;
  if (version === undefined && record.status === 'retired') {
    const major = semverOf(record).major;
    const later = all.filter((r) => r.status !== 'retired' && semverOf(r).major > major).sort((a, b) => compareSemVer(semverOf(b), semverOf(a)));
    version = later[0]?.version;
  }
  if (version === undefined) return undefined;
  const semver = parseSemVer(version);
  return semver ? { version, path: `${api.basePath}/v${semver.major}` } : undefined;
}

/** The highest configured version of each major of an API. */
export function servedVersions(api: ApiConfig): Array<ApiConfig['versions'][number] & { semver: SemVer }> {
  const byMajor = new Map<number, ApiConfig['versions'][number] & { semver: SemVer }>();
  for (const v of api.versions) {
    // The config schema only admits semver, so parsing cannot fail here.
    const semver = parseSemVer(v.version)!;
    const current = byMajor.get(semver.major);
    if (!current || compareSemVer(semver, current.semver) > 0) byMajor.set(semver.major, { ...v, semver });
  }
  return [...byMajor.values()].sort((a, b) => compareSemVer(a.semver, b.semver));
}

/** The targets of a version: its own (targets, or upstream as one), else the API's (targets, or url as one). */
export function targetsOf(api: ApiConfig, version: ApiVersionConfig | undefined): TargetConfig[] | undefined {
  if (version?.targets) return version.targets;
  if (version?.upstream !== undefined) return [{ url: version.upstream, weight: 1 }];
  if (api.upstream.targets) return api.upstream.targets;
  return api.upstream.url !== undefined ? [{ url: api.upstream.url, weight: 1 }] : undefined;
}

/** The highest configured version of each major, each with its contract file. */
function configuredContracts(api: ApiConfig, loaded: LoadedConfig): ServedContract[] {
  return servedVersions(api).map((v) => {
    const file = findContractFile(loaded.contractsDir, api.id, v.version);
    if (!file) throw new ContractError('CONTRACT_NOT_OPENAPI', `${loaded.contractsDir}/${api.id}/${v.version}.yaml`, '', 'contract file not found');
    return { version: v.version, semver: v.semver, targets: targetsOf(api, v), name: file, load: () => loadOpenApi(file) };
  });
}

/** The contracts serving `api`: from the registry snapshot when there is one, else from the configured files. */
export function servedContracts(api: ApiConfig, loaded: LoadedConfig, snapshot: RegistrySnapshot | undefined): ServedContract[] {
  if (!snapshot) return configuredContracts(api, loaded);
  const all = snapshot.versions.get(api.id) ?? [];
  const listed = new Map(api.versions.map((v) => [v.version, v]));
  return (snapshot.chosen.get(api.id) ?? []).map(({ record, text }) => {
    const name = registeredName(api.id, record.version, record.format);
    return {
      version: record.version,
      semver: semverOf(record),
      targets: targetsOf(api, listed.get(record.version)),
      name,
      digest: record.digest,
      load: () => loadOpenApi(name, { text, reader: () => { throw new Error('a registered document is self-contained'); } }),
      lifecycle: {
        status: record.status,
        ...(record.deprecatedAt !== undefined ? { deprecatedAt: record.deprecatedAt } : {}),
        ...(record.sunset !== undefined ? { sunset: record.sunset } : {}),
        ...(record.status !== 'published' ? { successor: successorOf(api, record, all) } : {}),
      },
    };
  });
}
