/**
 * Benchmark harness: each figure is a ratio of a subject to a baseline measured in the same run.
 * Rounds of subject and baseline are interleaved (this machine's speed drifts by up to 1.5x within
 * minutes), and the median of the per-round throughputs is reported, with the machine it ran on.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One measured operation: runs the work once per call. May be async. */
export type Operation = () => unknown;

/** Settings of an interleaved comparison. */
export interface CompareOptions {
  /** Rounds of each side; the median is taken over them. */
  readonly rounds: number;
  /** Minimum time of one round, in milliseconds. */
  readonly roundMs: number;
  /**
   * Which clock times a round: `wall` (default) or `cpu`, this process's CPU time (process.cpuUsage). For
   * synchronous work done in this process, CPU time is its cost without the time other processes on a
   * shared machine took the core away; it does not count work done elsewhere (another process, I/O waits).
   */
  readonly clock?: 'wall' | 'cpu';
}

/** The outcome of one comparison: per-second medians, ratio and the per-round samples. */
export interface Figure {
  readonly name: string;
  readonly subject: string;
  readonly baseline: string;
  readonly subjectOpsPerSecond: number;
  readonly baselineOpsPerSecond: number;
  /** subject ÷ baseline throughput, median over rounds of the per-round ratio. */
  readonly ratio: number;
  readonly rounds: number;
  /** Set when rounds were timed by CPU time (CompareOptions.clock). */
  readonly clock?: 'cpu';
  readonly target?: number;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
};

/** Microseconds of wall time, or of this process's CPU time (user + system). */
const clocks = {
  wall: (): number => Number(process.hrtime.bigint() / 1000n),
  cpu: (): number => {
    const used = process.cpuUsage();
    return used.user + used.system;
  },
};

async function round(op: Operation, roundMs: number, clock: 'wall' | 'cpu' = 'wall'): Promise<number> {
  const now = clocks[clock];
  let ops = 0;
  const start = now();
  const deadline = start + roundMs * 1000;
  let at = start;
  while (at < deadline) {
    for (let i = 0; i < 64; i++) {
      const result = op();
      if (result instanceof Promise) await result;
    }
    ops += 64;
    at = now();
  }
  return ops / ((at - start) / 1e6);
}

/** Measures subject and baseline in interleaved rounds (alternating which goes first) and returns medians. */
export async function compare(
  name: string,
  subject: { label: string; op: Operation },
  baseline: { label: string; op: Operation },
  options: CompareOptions & { target?: number },
): Promise<Figure> {
  await round(subject.op, 50, options.clock); // warm-up, not counted
  await round(baseline.op, 50, options.clock);
  const subjectRates: number[] = [];
  const baselineRates: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < options.rounds; i++) {
    let s: number;
    let b: number;
    if (i % 2 === 0) {
      s = await round(subject.op, options.roundMs, options.clock);
      b = await round(baseline.op, options.roundMs, options.clock);
    } else {
      b = await round(baseline.op, options.roundMs, options.clock);
      s = await round(subject.op, options.roundMs, options.clock);
    }
    subjectRates.push(s);
    baselineRates.push(b);
    ratios.push(s / b);
  }
  return {
    name,
    subject: subject.label,
    baseline: baseline.label,
    subjectOpsPerSecond: Math.round(median(subjectRates)),
    baselineOpsPerSecond: Math.round(median(baselineRates)),
    ratio: Number(median(ratios).toFixed(3)),
    rounds: options.rounds,
    ...(options.clock === 'cpu' ? { clock: 'cpu' } : {}),
    ...(options.target === undefined ? {} : { target: options.target }),
  };
}

/** The machine the figures were measured on. */
export function machine(): Record<string, unknown> {
  const cpu = cpus();
  return { node: process.version, cpu: cpu[0]?.model ?? 'unknown', cores: cpu.length, memoryGiB: Math.round(totalmem() / 2 ** 30) };
}

/** Writes bench/results/NAME.json and prints a table of the figures. */
export function report(file: string, figures: readonly Figure[]): void {
  const path = join(dirname(fileURLToPath(import.meta.url)), 'results', `${file}.json`);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify({ measuredAt: new Date().toISOString(), machine: machine(), figures }, null, 2)}\n`);
  console.table(
    figures.map((f) => ({
      figure: f.name,
      'subject ops/s': f.subjectOpsPerSecond,
      'baseline ops/s': f.baselineOpsPerSecond,
      ratio: f.ratio,
      target: f.target === undefined ? '' : `>= ${f.target}`,
    })),
  );
  console.log(`wrote ${path}`);
}
