/**
 * Which processes are Node (the server under test), PostgreSQL and Redis, for the CPU split and the
 * memory figures. Node: the server's process groups less any postgres in them. PostgreSQL: the
 * embedded server (a descendant of the server: its backends call setsid, so not in its group) or,
 * on the machine's server, the backends connected to the bench's database plus the server's
 * background processes (WAL writer, checkpointer, …, shared with whoever else uses that server).
 * Redis: every redis-server on the machine (shared likewise).
 */
import { descendsFromGroups, type ProcessSelector } from './cpu.js';
import { processTable, readCmdline, readMemory, type ProcessMemory } from './processes.js';

const AUXILIARY = /^postgres: (?:[^:]*: )?(checkpointer|background writer|walwriter|autovacuum launcher|logical replication launcher|walsummarizer)\b/;

export interface ComponentSelectors {
  node: ProcessSelector;
  postgres: ProcessSelector;
  redis: ProcessSelector;
}

/** `serverPgids`: the server's process groups; `database`: the external database's name, if any. */
export function componentSelectors(serverPgids: number[], database?: string): ComponentSelectors {
  const postgresVerdicts = new Map<number, boolean>();
  return {
    node: (_pid, stat) => serverPgids.includes(stat.pgrp) && stat.comm !== 'postgres',
    postgres: (pid, stat, table) => {
      if (stat.comm !== 'postgres') return false;
      let verdict = postgresVerdicts.get(pid);
      if (verdict === undefined) {
        const cmdline = readCmdline(pid);
        verdict =
          descendsFromGroups(pid, table, serverPgids) ||
          (database !== undefined && (cmdline.includes(` ${database} `) || AUXILIARY.test(cmdline)));
        postgresVerdicts.set(pid, verdict);
      }
      return verdict;
    },
    redis: (_pid, stat) => stat.comm === 'redis-server',
  };
}

export interface MemorySnapshot {
  node: ProcessMemory[];
  postgres: ProcessMemory[];
  /** Sums of PSS (RSS where PSS is unreadable), MiB: what the processes together hold. */
  total_mb: { node: number; postgres: number; both: number };
}

export function memorySnapshot(selectors: ComponentSelectors): MemorySnapshot {
  const table = processTable();
  const node: ProcessMemory[] = [];
  const postgres: ProcessMemory[] = [];
  for (const [pid, stat] of table) {
    const list = selectors.node(pid, stat, table) ? node : selectors.postgres(pid, stat, table) ? postgres : undefined;
    const memory = list && readMemory(pid, stat.comm);
    if (list && memory) list.push(memory);
  }
  const sum = (list: ProcessMemory[]) => Math.round(list.reduce((total, m) => total + (m.pss_mb ?? m.rss_mb), 0));
  return { node, postgres, total_mb: { node: sum(node), postgres: sum(postgres), both: sum(node) + sum(postgres) } };
}
