/**
 * Where a process's resident memory is, from /proc/<pid>/smaps: the Node binary's mapped pages,
 * the malloc heap (`[heap]`: SQLite and other native allocations of the main thread), the SQLite
 * WAL index maps (`*-shm`, 32 KiB per open WAL database), anonymous maps (the V8 heap, thread
 * arenas and stacks) and the rest (shared libraries, native addons). Values in MB.
 */
import { readFileSync } from 'node:fs';

export interface MemoryBreakdown {
  nodeBinaryMb: number;
  mallocHeapMb: number;
  walIndexMb: number;
  anonymousMb: number;
  otherMb: number;
}

const MAPPING_HEADER = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/;

function category(mapping: string, nodeBinary: string): keyof MemoryBreakdown {
  if (mapping === '' || mapping.startsWith('[anon') || mapping === '[stack]') return 'anonymousMb';
  if (mapping === '[heap]') return 'mallocHeapMb';
  if (mapping.endsWith('-shm')) return 'walIndexMb';
  if (mapping === nodeBinary) return 'nodeBinaryMb';
  return 'otherMb';
}

export function memoryBreakdown(pid: number, nodeBinary: string): MemoryBreakdown {
  const totals: MemoryBreakdown = {
    nodeBinaryMb: 0,
    mallocHeapMb: 0,
    walIndexMb: 0,
    anonymousMb: 0,
    otherMb: 0,
  };
  let current: keyof MemoryBreakdown = 'otherMb';
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const header = MAPPING_HEADER.exec(line);
    if (header) {
      current = category(header[1] ?? '', nodeBinary);
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) totals[current] += Number(rss[1]) / 1024;
  }
  return totals;
}
