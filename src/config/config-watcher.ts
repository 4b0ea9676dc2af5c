/**
 * Watches the configuration and contracts folders and reports settled changes, so that the
 * gateway can reload. chokidar rather than `fs.watch(dir, { recursive: true })`: Node 20's
 * recursive watch stops reporting a file that an editor saved by writing a temporary file and
 * renaming it over the original; chokidar watches each folder and follows such replacements.
 */
import { basename } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';

/** A running watcher. */
export interface ConfigWatcher {
  /** Resolves once the folders are being watched (changes before that may be missed). */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

/** Options of {@link watchConfig}. */
export interface ConfigWatchOptions {
  /** Folders to watch, with their subfolders. */
  dirs: readonly string[];
  /** Called once per burst of changes, with the paths that changed. */
  onChange(paths: string[]): void;
  /** A burst ends after this much quiet (default 200 ms): an editor's save is several events. */
  debounceMs?: number;
  /** Called when a folder cannot be watched. */
  onError?(error: Error): void;
}

/** Editors' swap, backup and temporary files: their churn is not a change of the configuration. */
function isEditorScratch(path: string): boolean {
  const name = basename(path);
  return name.startsWith('.') || name.endsWith('~') || name.endsWith('.swp') || name.endsWith('.tmp') || /^#.*#$/.test(name);
}

/** Starts watching. Each burst of changes to files under `dirs` calls `onChange` once. */
export function watchConfig(options: ConfigWatchOptions): ConfigWatcher {
  const debounceMs = options.debounceMs ?? 200;
  let pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const flush = (): void => {
    const paths = [...pending].sort();
    pending = new Set();
    options.onChange(paths);
  };
  const watcher: FSWatcher = watch([...options.dirs], {
    ignoreInitial: true,
    persistent: false,
    atomic: true,
    // Only the base name: a folder above the watched ones may well start with a dot.
    ignored: (path: string) => options.dirs.every((dir) => dir !== path) && isEditorScratch(path),
  });
  watcher.on('all', (_event, path) => {
    pending.add(path);
    clearTimeout(timer);
    timer = setTimeout(flush, debounceMs);
    timer.unref();
  });
  watcher.on('error', (error) => options.onError?.(error as Error));
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return {
    ready,
    async close() {
      clearTimeout(timer);
      await watcher.close();
    },
  };
}
