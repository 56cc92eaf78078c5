/** A one-line progress bar for a terminal; redraws at most every 100 ms so it never slows training. */
export class ProgressBar {
  private lastDraw = 0;
  private lastLine = '';

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly width = 30,
  ) {}

  update(fraction: number, label: string, force = false): void {
    const now = Date.now();
    if (!force && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const filled = Math.round(Math.max(0, Math.min(1, fraction)) * this.width);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(this.width - filled)}`;
    const columns = this.out.columns ?? 100;
    const line = `${bar} ${(fraction * 100).toFixed(0).padStart(3)}% ${label}`.slice(0, columns - 1);
    if (line === this.lastLine) return;
    this.lastLine = line;
    this.out.write(`\r\x1b[2K${line}`);
  }

  /** Ends the bar's line so following output starts cleanly. */
  done(): void {
    if (this.lastLine !== '') this.out.write('\n');
    this.lastLine = '';
  }
}
