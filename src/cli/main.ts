#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { InputError } from '../diag/index.js';
import { installPipeGuard, packageVersion } from './process-hygiene.js';
import type * as Calibrate from './calibrate.js';
import type * as Catalogue from './catalogue.js';
import type * as Logs from './logs.js';
import type * as Plan from './plan.js';
import type * as Record from './record.js';
import type * as Run from './run.js';
import type * as Serve from './serve.js';
import type * as Sweep from './sweep.js';
import type * as Trace from './trace.js';
import type * as Validate from './validate.js';
import type * as Worker from './worker.js';

// Each command's module (and what it pulls in) is loaded only when that command runs: start-up stays short.
type Action = (...args: never[]) => Promise<void> | void;
const lazy = <M, K extends keyof M>(load: () => Promise<M>, name: K) =>
  async (...args: unknown[]) => ((await load())[name] as Action)(...(args as never[]));
const catalogue = () => import('./catalogue.js') as Promise<typeof Catalogue>;
const trace$ = () => import('./trace.js') as Promise<typeof Trace>;
const runCommand = lazy(() => import('./run.js') as Promise<typeof Run>, 'runCommand');
const sweepCommand = lazy(() => import('./sweep.js') as Promise<typeof Sweep>, 'sweepCommand');
const planCommand = lazy(() => import('./plan.js') as Promise<typeof Plan>, 'planCommand');
const logsImportCommand = lazy(() => import('./logs.js') as Promise<typeof Logs>, 'logsImportCommand');
const calibrateCommand = lazy(() => import('./calibrate.js') as Promise<typeof Calibrate>, 'calibrateCommand');
const validateCommand = lazy(() => import('./validate.js') as Promise<typeof Validate>, 'validateCommand');
const recordCommand = lazy(() => import('./record.js') as Promise<typeof Record>, 'recordCommand');
const serveCommand = lazy(() => import('./serve.js') as Promise<typeof Serve>, 'serveCommand');
const workerCommand = lazy(() => import('./worker.js') as Promise<typeof Worker>, 'workerCommand');
const adviseCommand = lazy(catalogue, 'adviseCommand');
const explainCommand = lazy(catalogue, 'explainCommand');
const gpusCommand = lazy(catalogue, 'gpusCommand');
const modelsCommand = lazy(catalogue, 'modelsCommand');
const traceStatsCommand = lazy(trace$, 'traceStatsCommand');
const traceConvertCommand = lazy(trace$, 'traceConvertCommand');
const traceSynthCommand = lazy(trace$, 'traceSynthCommand');

/**
 * The command line only wires: parse arguments, call the library, turn an
 * input mistake into one line on stderr and exit code 2. Anything else is a
 * bug in ollamasim: exit 70 with one line (the stack only with OLLAMASIM_DEBUG=1).
 */
installPipeGuard();
const program = new Command();
program
  .name('ollamasim')
  .description("Simulate Ollama's model scheduler on a request trace and compare settings")
  .version(packageVersion(), '-V, --version', 'print the version')
  // Inherited by every subcommand: a usage mistake becomes one line and exit 2 (below), not the whole help.
  .exitOverride()
  .configureOutput({ outputError: () => {} });

program
  .command('run')
  .argument('<scenario>', 'scenario file (YAML or JSON)')
  .description('run every candidate of a scenario and print the comparison')
  .option('--out <dir>', 'write summary.json, requests.csv and events.csv to this folder')
  .option('--json', 'print summary.json to stdout instead of the table')
  .option('--summary-only', 'skip requests.csv and events.csv (for very large runs)')
  .option('--top <n>', 'models shown by name in the report\'s by-model charts (the rest as "other")', '8')
  .option('--format <format>', 'requests and events as csv (default) or parquet (requests.parquet, events.parquet)', 'csv')
  .option('--no-png', 'charts as SVG only (skip the PNG copies)')
  .option('--whatif', 'also write whatif.html: a page that reruns the simulation as you move its controls')
  .option('--max-requests <n>', 'requests one workload may make (default 100000000)')
  .action(runCommand);

program
  .command('sweep')
  .argument('<scenario>', 'scenario file (YAML or JSON)')
  .description('run every cell of a sweep (candidates × --grid axes × the scenario\'s sweep:), with replications and 95 % intervals')
  .option('--grid <KEY=v1,v2,...>', 'an axis over a scenario field (repeatable), e.g. OLLAMA_KEEP_ALIVE=0,5m,-1', (v: string, prev: string[] = []) => [...prev, v])
  .option('--replications <n>', 'runs per cell with derived seeds', '1')
  .option('--jobs <n>', 'worker threads (default: all cores)')
  .option('--out <dir>', 'write cells.csv, summary.json and report.html here')
  .option('--top <n>', 'models shown by name in the report\'s by-model charts (the rest as "other")', '8')
  .option('--json', 'print summary.json to stdout instead of the table')
  .option('--max-requests <n>', 'requests one workload may make (default 100000000)')
  .option('--resume', 'take back the finished runs an interrupted run kept in DIR.partial/ (same scenario, same --out)')
  .option('--queue <url>', 'run the cells on `ollamasim worker`s through Redis (redis://HOST:PORT, rediss:// for TLS)')
  .option('--no-png', 'charts as SVG only (skip the PNG copies)')
  .action(sweepCommand);
const collect = (v: string, prev: string[] = []) => [...prev, v];
program
  .command('plan')
  .argument('<scenario>', 'scenario file (YAML or JSON)')
  .description('the cheapest GPU configuration that meets the objectives (with 95 % confidence when replications vary), or --max-rate')
  .option('--slo <objective>', 'e.g. p95<=3s, ttft_p99<=10s, failures<=0.1%, cold<=5% (repeatable)', collect)
  .option('--gpus <ids>', 'GPU types to consider (default: every discrete GPU in the catalogue)')
  .option('--max-gpus <n>', 'GPUs per host, 1 to n', '2')
  .option('--hosts <list>', 'fleet sizes to consider, e.g. 1,2,3')
  .option('--keep-alive <list>', 'OLLAMA_KEEP_ALIVE values to consider, e.g. 5m,30m,-1')
  .option('--price <basis>', 'hour (rent) or buy (own: purchase over --months plus power)', 'hour')
  .option('--price-of <id=price>', 'override a GPU price (repeatable)', collect)
  .option('--months <n>', 'buy: months the purchase is spread over (default 36)')
  .option('--kwh <price>', 'buy: electricity, $ per kWh (default 0.15)')
  .option('--host-watts <w>', 'buy: a host\'s own draw beside its GPUs, W (default 150)')
  .option('--replications <n>', 'runs per configuration', '1')
  .option('--jobs <n>', 'worker threads (default: all cores)')
  .option('--max-rate', "instead: the highest multiple of today's traffic the recommended configuration (or --config) holds")
  .option('--config <name>', 'with --max-rate: the configuration to test, e.g. "host.gpu=l4, host.count=2"')
  .option('--out <dir>', 'write cells.csv, summary.json, plan.txt, report.html and the frontier chart here')
  .option('--top <n>', 'models shown by name in the report\'s by-model charts (the rest as "other")', '8')
  .option('--json', 'print the plan as JSON')
  .option('--max-requests <n>', 'requests one workload may make (default 100000000)')
  .option('--resume', 'take back the finished runs an interrupted run kept in DIR.partial/ (same scenario, same --out)')
  .option('--queue <url>', 'run the configurations on `ollamasim worker`s through Redis (redis://HOST:PORT)')
  .option('--no-png', 'charts as SVG only (skip the PNG copies)')
  .action(planCommand);
program
  .command('worker')
  .description('take sweep and plan cells from a Redis queue and run them, until stopped')
  .requiredOption('--queue <url>', 'the Redis the coordinator uses (redis://HOST:PORT, rediss:// for TLS)')
  .option('--jobs <n>', 'cells at once, one thread each (default: all cores)')
  .option('--cache <dir>', 'where fetched scenarios and traces are kept (default: the system temp folder)')
  .option('--stall-timeout <duration>', 'a cell whose worker is silent this long goes to another worker', '30s')
  .action(workerCommand);
program
  .command('advise')
  .argument('<scenario>', 'scenario file (YAML or JSON)')
  .description('a keep_alive per model (least idle memory for a cold-start target), how to deploy it, proved against 5m, -1 and 0')
  .option('--cold <share>', 'cold-start share to meet, e.g. 5% (default: the knee of each cold-share / idle-memory curve)')
  .option('--json', 'print the advice as JSON')
  .option('--max-requests <n>', 'requests one workload may make (default 100000000)')
  .action(adviseCommand);
program
  .command('calibrate')
  .argument('<dir>', 'a recording (ollamasim record --out DIR, or logs import)')
  .description('load times, token rates, NUM_PARALLEL slowdown and footprints per model from a recording; writes a scenario with them')
  .option('--out <file>', 'the calibrated scenario (default: DIR/calibrated.yaml)')
  .option('--gpu <id>', 'the catalogue GPU the server runs on (a recording cannot tell), e.g. rtx-4090')
  .option('--vram <size>', 'or its memory, e.g. 24GiB')
  .option('--json', 'print the calibration as JSON')
  .action(calibrateCommand);
program
  .command('validate')
  .argument('<scenario>', 'scenario file whose workload is the recording\'s trace.csv')
  .description('replay a recording and compare with what the server did: loads, unloads, cold share, latency and TTFT per model')
  .option('--observed <dir>', 'the recording (ollamasim record --out DIR)')
  .option('--tolerance <share>', 'exit 1 when the largest per-model relative error exceeds this', '10%')
  .option('--out <dir>', 'write validation.json, report.html and the observed-vs-predicted chart here')
  .option('--json', 'print the comparison as JSON')
  .action(validateCommand);
program.command('gpus').description('list the GPU and storage catalogue').action(gpusCommand);
program.command('models').description('list the model catalogue').action(modelsCommand);
program
  .command('explain')
  .argument('<scenario>', 'scenario file (YAML or JSON)')
  .description("per model: Ollama's memory estimate P, placement, load time cold and warm, a typical request")
  .option('--max-requests <n>', 'requests one workload may make (default 100000000)')
  .action(explainCommand);

program
  .command('serve')
  .argument('<scenario>', 'scenario file (YAML or JSON)')
  .description("answer Ollama's HTTP API (/api/generate, chat, embed, ps, tags, version) with the simulator, in real time")
  .option('--listen <host:port>', 'address to listen on', '127.0.0.1:11434')
  .option('--speed <x>', 'simulated seconds per wall second', '1')
  .option('--jitter <share>', 'seeded jitter of answer and load times, e.g. 5%', '0')
  .option('--candidate <name>', "the scenario's candidate to serve (default: the first)")
  .option('--output-tokens <n>', 'tokens generated when a request sets no num_predict', '128')
  .action(serveCommand);
program
  .command('record')
  .description('a transparent proxy in front of Ollama that records the traffic as a trace (never the prompts or answers)')
  .option('--upstream <url>', 'the Ollama server', 'http://127.0.0.1:11434')
  .option('--listen <host:port>', 'address clients use instead of Ollama', '127.0.0.1:11435')
  .option('--out <dir>', 'write trace.csv, requests.jsonl and observed.json here', 'recording')
  .option('--poll <seconds>', 'how often to poll /api/ps', '5')
  .action(recordCommand);

const logs = program.command('logs').description("read Ollama's own server log");
logs
  .command('import')
  .argument('<file>', 'the server log: journalctl -u ollama output, or ~/.ollama/logs/server.log')
  .description('a trace and observations from the log, in the form `record` writes (see README "Starting from a server log")')
  .option('--out <dir>', 'write trace.csv, requests.jsonl and observed.json here', 'recording')
  .option('--model <name>', 'the model of a single-model server whose log does not name it')
  .action(logsImportCommand);

const trace = program.command('trace').description('inspect, convert and synthesize request traces');
trace
  .command('stats')
  .argument('<file>', 'a trace file (any supported format) or a scenario')
  .description('requests, span, rate, inter-arrival CV, per-model counts, token percentiles, idle-gap shares')
  .option('--format <name>', 'trace format of a bare file (ollamasim, csv, jsonl, azure-llm-2023, mooncake, burstgpt)')
  .option('--model <name>', 'model name for a trace that names none')
  .option('--sort', 'accept a file whose arrivals are out of order')
  .option('--json', 'print JSON')
  .option('--max-requests <n>', 'requests one workload may make (default 100000000)')
  .action(traceStatsCommand);
trace
  .command('convert')
  .argument('<file>', 'a trace file (any supported format) or a scenario')
  .description('write a trace as the core CSV (at,model,duration,...)')
  .option('--format <name>', 'trace format of the input')
  .option('--model <name>', 'model name for a trace that names none')
  .option('--sort', 'accept a file whose arrivals are out of order')
  .option('--out <file>', 'output file (default: stdout)')
  .option('--max-requests <n>', 'requests one workload may make (default 100000000)')
  .action(traceConvertCommand);
trace
  .command('synth')
  .argument('<scenario>', 'scenario file')
  .description("write the requests a scenario's workload generates as the core CSV")
  .option('--out <file>', 'output file (default: stdout)')
  .option('--max-requests <n>', 'requests one workload may make (default 100000000)')
  .action(traceSynthCommand);

try {
  await program.parseAsync();
} catch (err) {
  if (err instanceof CommanderError) {
    // --help and --version end here too, with exit code 0 and their text already printed.
    // A bare `ollamasim` (or `ollamasim trace`) has printed the help: nothing to add but the exit code.
    if (err.exitCode !== 0 && err.code !== 'commander.help') process.stderr.write(`${usageLine(err)}\n`);
    process.exitCode = err.exitCode === 0 ? 0 : 2;
  } else if ((err as NodeJS.ErrnoException)?.code === 'EPIPE') {
    // The reader of our stdout went away (`| head`): nothing more to say.
    process.exitCode = 0;
  } else if (err instanceof InputError) {
    process.stderr.write(`${err.message}\n`);
    process.exitCode = 2;
  } else {
    const e = err as Error;
    process.stderr.write(`ollamasim: internal error: ${e?.message ?? String(err)} (please report it; OLLAMASIM_DEBUG=1 shows the stack)\n`);
    if (process.env.OLLAMASIM_DEBUG) process.stderr.write(`${e?.stack}\n`);
    process.exitCode = 70;
  }
}

/** Commander's "error: unknown option '--ot'\n(Did you mean --out?)" as one line, with where to look. */
function usageLine(err: CommanderError): string {
  const text = err.message.replace(/^error: /, '').split('\n').map((l) => l.trim()).filter(Boolean);
  const [what, ...more] = text;
  const hint = more.length ? more.join(' ').replace(/^\((.*)\)$/, '$1').replace(/^Did you/, 'did you') : 'ollamasim --help lists the commands, ollamasim COMMAND --help their options';
  return `ollamasim: ${what} (${hint})`;
}
