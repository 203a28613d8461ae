/**
 * `/api/v1/ups/{name}/power` rows (observability §3.7, core §3.7): watts are the UPS's real power
 * when it reports one (≥ 0), else `load% × nominal power` flagged `estimated`, else unknown
 * (null, never 0).
 */
import type { PowerInputRow } from './stats-access.js';

export interface PowerRowJson {
  estimated: boolean;
  loadPct: number | null;
  ts: number;
  watts: number | null;
}

export function powerRow(row: PowerInputRow, configuredNominalW: number | null): PowerRowJson {
  if (row.realPowerW !== null && row.realPowerW >= 0) {
    return { estimated: false, loadPct: row.loadPct, ts: row.ts, watts: row.realPowerW };
  }
  const nominal = row.powerNominalW ?? configuredNominalW;
  if (row.loadPct !== null && nominal !== null && nominal > 0) {
    return {
      estimated: true,
      loadPct: row.loadPct,
      ts: row.ts,
      watts: (row.loadPct / 100) * nominal,
    };
  }
  return { estimated: false, loadPct: row.loadPct, ts: row.ts, watts: null };
}
