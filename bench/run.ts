/**
 * `npm run bench`: runs each named workload in its own process (so peak RSS is
 * that workload's), prints a table and writes bench/results.json. Speed is
 * measured here, never by a timed test.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type BenchRow, WORKLOADS } from './workloads.js';

const self = fileURLToPath(import.meta.url);

function runChild(name: string): BenchRow {
  const out = execFileSync(process.execPath, ['--max-old-space-size=8192', self, '--one', name], { encoding: 'utf8' });
  return JSON.parse(out) as BenchRow;
}

async function runOne(name: string): Promise<void> {
  const m = await WORKLOADS[name]!();
  const row: BenchRow = {
    workload: name,
    ...m,
    seconds: round(m.seconds),
    requests_per_s: Math.round(m.requests / m.seconds),
    events_per_s: Math.round(m.events / m.seconds),
    ...(m.csv_rows !== undefined ? { csv_rows_per_s: Math.round(m.csv_rows / m.seconds) } : {}),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  process.stdout.write(JSON.stringify(row));
}

const round = (x: number) => Math.round(x * 1000) / 1000;

if (process.argv[2] === '--one') {
  await runOne(process.argv[3]!);
} else {
  // `npm run bench -- NAME…` runs only the workloads whose names contain one of the words.
  const only = process.argv.slice(2);
  const rows: BenchRow[] = [];
  for (const name of Object.keys(WORKLOADS).filter((n) => only.length === 0 || only.some((w) => n.includes(w)))) {
    const row = runChild(name);
    rows.push(row);
    console.log(
      `${row.workload}\n  ${row.requests.toLocaleString('en')} requests, ${row.events.toLocaleString('en')} events in ${row.seconds} s` +
      ` → ${row.requests_per_s.toLocaleString('en')} req/s, ${row.events_per_s.toLocaleString('en')} events/s, peak RSS ${row.peak_rss_mb} MB` +
      (row.max_relative_error !== undefined ? `, largest error vs theory ${(row.max_relative_error * 100).toFixed(2)} %` : '') +
      (row.report_seconds !== undefined ? `\n  simulation ${row.simulation_seconds} s, report ${row.report_seconds} s, report.html ${row.report_mb} MB` : '') +
      (row.csv_rows_per_s !== undefined ? `, ${row.csv_rows!.toLocaleString('en')} CSV rows → ${row.csv_rows_per_s.toLocaleString('en')} rows/s` : '') +
      (row.replace_seconds !== undefined ? `; into the folder of a previous run (its files replaced) ${row.replace_seconds} s` : '') +
      (row.proxy_added_p99_ms !== undefined ? `\n  p99 chunk lateness ${row.p99_direct_ms} ms direct, ${row.p99_proxied_ms} ms through record: the proxy adds ${row.proxy_added_p99_ms} ms at p99, ${row.proxy_added_p50_ms} ms at p50; ${row.cpu_us_per_chunk} µs of CPU a chunk` : '') +
      (row.max_streams !== undefined ? `\n  ${row.max_streams} concurrent streams sustained (p99 chunk lateness ${row.p99_lateness_ms_at_max} ms; by streams ${row.p99_lateness_by_streams}); ${row.cpu_us_per_chunk} µs of CPU a chunk` : ''),
    );
  }
  const file = fileURLToPath(new URL('../../bench/results.json', import.meta.url));
  // A partial run replaces its rows in the last results and keeps the others.
  const kept = only.length === 0 ? [] : (JSON.parse(readFileSync(file, 'utf8')) as { results: BenchRow[] }).results;
  const results = Object.keys(WORKLOADS).map((n) => rows.find((r) => r.workload === n) ?? kept.find((r) => r.workload === n)).filter((r) => r !== undefined);
  writeFileSync(file, JSON.stringify({ node: process.version, date: new Date().toISOString(), results }, null, 2) + '\n');
  console.log(`wrote ${file}`);
}
