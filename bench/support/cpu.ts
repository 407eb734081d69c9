/**
 * CPU use over a measured run, from /proc: per process group (the server, the LLM fake, wrk) and
 * machine-wide. Groups are sampled every half second, so a process that exits during the run still
 * counts up to its last sample. Figures are percent of one core (200% = two cores busy); the machine
 * figure is percent of all cores.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { processTable, type ProcStat } from './processes.js';
import { round } from './stats.js';

export interface CpuFigures {
  /** Percent of one core, by group name. */
  groups: Record<string, number>;
  /** The bench process itself (its HTTP client, when it measures), percent of one core. */
  bench: number;
  /** Busy share of all cores, percent (null off Linux). */
  machine: number | null;
  /** Everything else that ran on the machine meanwhile (other users' jobs too), percent of one core. */
  others: number | null;
  seconds: number;
}

/** Whether a process belongs to a group; `table` is the whole sample, for ancestry checks. */
export type ProcessSelector = (pid: number, stat: ProcStat, table: Map<number, ProcStat>) => boolean;

/** Whether `pid` descends from a process of one of the process groups `pgids`. */
export function descendsFromGroups(pid: number, table: Map<number, ProcStat>, pgids: number[]): boolean {
  for (let current = table.get(pid), hops = 0; current && hops < 64; current = table.get(current.ppid), hops += 1) {
    if (pgids.includes(current.pgrp)) return true;
  }
  return false;
}

let clockTicks: number | undefined;
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

function machineTicks(): { busy: number; total: number } | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const values = line.trim().split(/\s+/).slice(1, 9).map(Number);
    const total = values.reduce((sum, value) => sum + value, 0);
    const idle = (values[3] ?? 0) + (values[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

export class CpuSampler {
  private readonly first = new Map<string, Map<number, number>>();
  private readonly last = new Map<string, Map<number, number>>();
  private machineStart?: { busy: number; total: number };
  private selfStart?: NodeJS.CpuUsage;
  private startedAt = 0;
  private timer?: NodeJS.Timeout;

  /**
   * `groups`: name → the process-group ids (leaders' pids) it covers, or a predicate that picks
   * processes from the machine's process table (sampled every half second).
   */
  constructor(private readonly groups: Record<string, number[] | ProcessSelector>) {}

  start(): void {
    this.startedAt = performance.now();
    this.machineStart = machineTicks();
    this.selfStart = process.cpuUsage();
    for (const name of Object.keys(this.groups)) {
      this.first.set(name, new Map());
      this.last.set(name, new Map());
    }
    this.sample();
    this.timer = setInterval(() => this.sample(), 500);
    this.timer.unref();
  }

  stop(): CpuFigures {
    clearInterval(this.timer);
    this.sample();
    const seconds = (performance.now() - this.startedAt) / 1000;
    const hz = ticksPerSecond();
    const groups: Record<string, number> = {};
    for (const name of Object.keys(this.groups)) {
      const first = this.first.get(name) ?? new Map<number, number>();
      const last = this.last.get(name) ?? new Map<number, number>();
      let ticks = 0;
      for (const [pid, end] of last) ticks += Math.max(0, end - (first.get(pid) ?? end));
      groups[name] = seconds > 0 ? round((ticks / hz / seconds) * 100, 1) : 0;
    }
    const end = machineTicks();
    const start = this.machineStart;
    const machine = start && end && end.total > start.total ? round(((end.busy - start.busy) / (end.total - start.total)) * 100, 1) : null;
    const self = process.cpuUsage(this.selfStart);
    const bench = seconds > 0 ? round(((self.user + self.system) / 1e6 / seconds) * 100, 1) : 0;
    const ours = Object.values(groups).reduce((sum, value) => sum + value, bench);
    const others = machine === null ? null : round(Math.max(0, machine * availableParallelism() - ours), 0);
    return { groups, bench, machine, others, seconds: round(seconds, 1) };
  }

  private sample(): void {
    const table = processTable();
    for (const [name, selector] of Object.entries(this.groups)) {
      const first = this.first.get(name);
      const last = this.last.get(name);
      if (!first || !last) continue;
      const picks: ProcessSelector = Array.isArray(selector) ? (_pid, stat) => selector.includes(stat.pgrp) : selector;
      for (const [pid, stat] of table) {
        if (!picks(pid, stat, table)) continue;
        if (!first.has(pid)) first.set(pid, stat.ticks);
        last.set(pid, stat.ticks);
      }
    }
  }
}

/** Cores this process may use (the affinity mask), and the CPU model. */
export function machineCores(): { cores: number; online: number; model: string } {
  const list = cpus();
  return { cores: availableParallelism(), online: list.length, model: list[0]?.model.trim() ?? 'unknown' };
}
