/** How often a plain (non-terminal) progress line is written, so CI logs show a load moving without flooding. */
const PLAIN_EVERY_MS = 10_000;
/** How often a terminal's progress bar is redrawn at most. */
const BAR_EVERY_MS = 250;
const BAR_WIDTH = 24;

const n = (x: number) => Math.round(x).toLocaleString('en');

/** `1m05s`, `42s`: an ETA or an elapsed time a person reads at a glance. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  return seconds >= 60 ? `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s` : `${seconds}s`;
}

/**
 * The progress of a long load on stderr, phase by phase (files uploaded and
 * verdicts in, rows, rate, ETA): a bar redrawn in place on a terminal, a plain
 * line every 10 s otherwise (CI), and a closing line per phase either way.
 */
export class LoadProgress {
  readonly #label: string;
  readonly #write: (text: string) => void;
  readonly #tty: boolean;
  #phase = '';
  #unit = '';
  /** Units of the current phase. */
  total = 0;
  #totalRows = 0;
  #done = 0;
  #uploaded = 0;
  #rows = 0;
  #started = 0;
  #drawn = 0;

  constructor(label: string, stream: Pick<NodeJS.WriteStream, 'write' | 'isTTY'> = process.stderr) {
    this.#label = label;
    this.#write = (text) => void stream.write(text);
    this.#tty = stream.isTTY === true;
  }

  /** Starts a phase of `total` units (files, statements); `totalRows` when its rows are known. */
  phase(name: string, total: number, unit: string, totalRows = 0): void {
    if (this.#phase !== '') this.#close();
    this.total = total;
    [this.#phase, this.#unit, this.#totalRows, this.#done, this.#uploaded, this.#rows, this.#started, this.#drawn] = [name, unit, totalRows, 0, 0, 0, performance.now(), 0];
    this.#draw(true);
  }

  /** Files of the phase uploaded so far (their verdicts may still be coming). */
  uploaded(count: number): void {
    this.#uploaded = count;
    this.#draw(false);
  }

  /** Units of the phase done so far (verdicts in, statements computed or current). */
  update(done: number): void {
    this.#done = done;
    this.#draw(false);
  }

  /** Rows behind the verdicts so far. */
  rows(rows: number): void {
    this.#rows = rows;
  }

  /** Ends the last phase. */
  end(): void {
    if (this.#phase !== '') this.#close();
    this.#phase = '';
  }

  /** The phase's line: done of total, uploaded, rows, rate and ETA. */
  line(): string {
    const elapsed = performance.now() - this.#started;
    const rate = elapsed > 0 ? this.#done / (elapsed / 1000) : 0;
    const eta = rate > 0 && this.total > this.#done ? ` · ETA ${formatDuration(((this.total - this.#done) / rate) * 1000)}` : '';
    const uploads = this.#uploaded > 0 && this.#uploaded !== this.#done ? ` (${n(this.#uploaded)} uploaded)` : '';
    const rows = this.#rows > 0 ? ` · ${n(this.#rows)}${this.#totalRows > 0 ? `/${n(this.#totalRows)}` : ''} rows, ${n(this.#rows / (elapsed / 1000))} rows/s` : '';
    return `${this.#label}: ${this.#phase} ${n(this.#done)}/${n(this.total)} ${this.#unit}${uploads}${rows} · ${rate.toFixed(1)} ${this.#unit}/s${eta} · ${formatDuration(elapsed)}`;
  }

  #draw(force: boolean): void {
    const now = performance.now();
    if (!force && now - this.#drawn < (this.#tty ? BAR_EVERY_MS : PLAIN_EVERY_MS)) return;
    this.#drawn = now;
    if (!this.#tty) return this.#write(`${this.line()}\n`);
    const share = this.total > 0 ? Math.min(1, this.#done / this.total) : 1;
    const filled = Math.round(share * BAR_WIDTH);
    this.#write(`\r\u001b[2K[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${Math.floor(share * 100)}% ${this.line()}`);
  }

  #close(): void {
    this.#write(`${this.#tty ? '\r\u001b[2K' : ''}${this.line()} done\n`);
  }
}
