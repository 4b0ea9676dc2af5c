/** Re-reads a key store on a timer, one read at a time, so every instance sees a revocation within the poll interval. */

export class RefreshPoller {
  private timer: NodeJS.Timeout | undefined;
  private reading = false;

  constructor(
    private readonly refresh: () => Promise<void>,
    private readonly pollMs: number,
    private readonly onError?: (error: Error) => void,
  ) {}

  /** Starts polling (once; later calls do nothing). The timer never keeps the process alive. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      // A slow read is not overtaken by the next one.
      if (this.reading) return;
      this.reading = true;
      this.refresh()
        .catch((error: unknown) => this.onError?.(error as Error))
        .finally(() => {
          this.reading = false;
        });
    }, this.pollMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
