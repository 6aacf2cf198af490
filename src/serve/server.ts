import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ResolvedCandidate, ResolvedScenario } from '../config/types.js';
import { rngStream } from '../engine/index.js';
import type { EventSink } from '../events/index.js';
import { modelByTag } from '../hardware/models.js';
import { FOREVER, type SchedulerConfig } from '../ollama/index.js';
import { Op } from '../workload/trace.js';
import { resolveWorld } from '../sim/world.js';
import { errorBody, type LocalModel, type ModelDetails, psResponse, type RunningModel, tagsResponse } from './api.js';
import { Exchange, sendJson, type Work } from './exchange.js';
import { type Clock, LiveSim } from './live.js';
import { BadRequest, type Endpoint, parseApiRequest } from './request.js';

/** The Ollama version serve reports: the release of the spec's commit (fb30760 = v0.33.0-rc2). */
export const SIMULATED_VERSION = '0.33.0-rc2';

/** Token rates for a model that has none (no `prefill_tps`/`decode_tps`, no catalogue GPU and model) [est.]. */
export const DEFAULT_RATES = { prefillTps: 2000, decodeTps: 50 };

export interface ServeOptions {
  scenario: ResolvedScenario;
  /** Which candidate to serve (default: the first). */
  candidate?: string;
  host: string;
  port: number;
  /** Simulated seconds per wall second. */
  speed: number;
  /** Relative jitter of answer and load times, e.g. 0.05 = ±5 % (uniform, seeded). */
  jitter: number;
  /** Output tokens when a request sets no options.num_predict. */
  outputTokens: number;
  clock: Clock;
  /** Every scheduler event, as `run` writes them to events.csv (tests, logs). */
  events?: EventSink;
}

export interface ServeHandle {
  url: string;
  sim: LiveSim;
  close(): Promise<void>;
}

/** Tick of the token pacer, wall ms: streams are written at most this late. */
const PACE_MS = 5;

/**
 * `ollamasim serve`: Ollama's HTTP API (/api/generate, /api/chat, /api/embed,
 * /api/ps, /api/tags, /api/version; routes.go:1879–1911) answered by the
 * simulator in real time, for one candidate of a scenario on one host.
 */
export async function startServe(opts: ServeOptions): Promise<ServeHandle> {
  const sc = opts.scenario;
  const c = opts.candidate ? sc.candidates.find((x) => x.name === opts.candidate) : sc.candidates[0];
  if (!c) throw new Error(`no candidate named ${opts.candidate}`);
  const rng = rngStream(sc.seed, 'serve/jitter');
  const jit = () => (opts.jitter > 0 ? 1 + opts.jitter * (2 * rng() - 1) : 1);
  // The candidate's world (src/sim/world.ts): its scheduler settings, and its models' token rates on its own host.
  const world = resolveWorld(sc, c);
  const sim = new LiveSim(jittered(world.sched, jit), opts.clock, opts.speed, c.warm, c.faults ?? [], opts.events);
  const models = modelInfo(c);
  const index = new Map(sc.modelNames.map((n, i) => [n, i]));
  const rates = sc.modelNames.map((_, i) => {
    const r = world.rates[i];
    return { prefillTps: r ? r.prefill : DEFAULT_RATES.prefillTps, decodeTps: r ? r.decode : DEFAULT_RATES.decodeTps };
  });
  const pacer = new Pacer(sim);

  const inference = (endpoint: Endpoint, body: string, res: ServerResponse) => {
    let api;
    try {
      api = parseApiRequest(endpoint, body);
    } catch (e) {
      if (e instanceof BadRequest) return sendJson(res, e.status, errorBody(e.message));
      throw e;
    }
    const m = index.get(api.model) ?? index.get(`${api.model}:latest`);
    if (m === undefined) return sendJson(res, 404, errorBody(`model '${api.model}' not found`));
    const r = rates[m]!;
    const outputTokens = endpoint === 'embed' || api.op !== Op.generate ? 0 : api.numPredict || opts.outputTokens;
    const work: Work = {
      promptTokens: api.promptTokens,
      outputTokens,
      promptUs: Math.round((api.promptTokens / r.prefillTps) * 1e6 * jit()),
      evalUs: Math.round((outputTokens / r.decodeTps) * 1e6 * jit()),
    };
    const dims = api.dimensions || models[m]!.embedding;
    const vectors = endpoint === 'embed' ? Array.from({ length: api.inputs }, (_, i) => embedding(dims, i)) : [];
    const ex = new Exchange(sim, res, api, work, vectors, pacer);
    res.on('close', () => {
      if (!ex.finished) sim.disconnect(ex.index);
    });
    ex.index = sim.submit(m, api.op === Op.generate ? work.promptUs + work.evalUs : 0, api.keepAlive, api.numCtx, api.op, ex);
  };

  const ps = (res: ServerResponse) => {
    sim.advance();
    // A runner still loading holds its refMu, which loadedModels waits for (sched.go:716, 1757): /api/ps answers once the load ends.
    const answer = () => {
      if (sim.sched.loadingRunner) return sim.whenAdvanced(answer);
      sendJson(res, 200, psResponse(running(sim, models)));
    };
    answer();
  };

  const server: Server = createServer({ noDelay: true }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (b: Buffer) => chunks.push(b));
    req.on('error', () => res.destroy());
    req.on('end', () => {
      try {
        route(req, Buffer.concat(chunks).toString('utf8'), res);
      } catch (e) {
        sendJson(res, 500, errorBody(`ollamasim: ${(e as Error).message}`));
      }
    });
  });
  const started = opts.clock.wall();
  const route = (req: IncomingMessage, body: string, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    const get = req.method === 'GET' || req.method === 'HEAD';
    if (req.method === 'POST' && path === '/api/generate') return inference('generate', body, res);
    if (req.method === 'POST' && path === '/api/chat') return inference('chat', body, res);
    if (req.method === 'POST' && path === '/api/embed') return inference('embed', body, res);
    if (get && path === '/api/ps') return ps(res);
    if (get && path === '/api/tags') return sendJson(res, 200, tagsResponse(models.map((x) => ({ ...x.local, modifiedAt: started }))));
    if (get && path === '/api/version') return sendJson(res, 200, JSON.stringify({ version: SIMULATED_VERSION }));
    if (get && path === '/') {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      return res.end('Ollama is running');
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('404 page not found');
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  return {
    url: `http://${opts.host}:${addr.port}`,
    sim,
    close: () => new Promise<void>((resolve) => {
      sim.close();
      pacer.stop();
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

/** Streams being written: every PACE_MS, each writes the tokens due by then (one timer for all). */
export class Pacer {
  private readonly streams = new Set<Exchange>();
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly sim: LiveSim) {}

  add(ex: Exchange): void {
    this.streams.add(ex);
    this.timer ??= setInterval(() => this.tick(), PACE_MS);
  }

  delete(ex: Exchange): void {
    this.streams.delete(ex);
    if (this.streams.size === 0) this.stop();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private tick(): void {
    const t = this.sim.simNow();
    for (const ex of this.streams) ex.tick(t);
  }
}

/** Answer and load times with seeded jitter; loads go through one timer so fixed `load:` times jitter too. */
function jittered(cfg: SchedulerConfig, jit: () => number): SchedulerConfig {
  const fixed = cfg.models.map((m) => m.load);
  const inner = cfg.loadTimer;
  return {
    ...cfg,
    models: cfg.models.map((m) => ({ ...m, load: NaN })),
    loadTimer: {
      loadTime: (m, cpu) => Math.round(jit() * (Number.isNaN(fixed[m]!) ? inner!.loadTime(m, cpu) : fixed[m]!)),
      cpuInUse: (bytes) => inner?.cpuInUse(bytes),
    },
  };
}

interface ModelInfo {
  local: Omit<LocalModel, 'modifiedAt'>;
  details: ModelDetails;
  embedding: number;
}

/** What /api/tags and /api/ps say about each model: catalogue details where known, a stable made-up digest. */
function modelInfo(c: ResolvedCandidate): ModelInfo[] {
  return c.models.map((m) => {
    const spec = m.tag ? modelByTag(m.tag) : undefined;
    const details: ModelDetails = {
      family: (m.tag ?? m.name).match(/^[a-z]+/i)?.[0]?.toLowerCase() ?? '',
      parameterSize: spec?.params ?? '',
      quantizationLevel: spec?.quant ?? '',
    };
    const size = Math.round(m.arch?.file ?? (Number.isNaN(m.vram) ? 0 : m.vram));
    return { local: { name: m.name, size, digest: digest(m.key), details }, details, embedding: m.arch?.embedding ?? 384 };
  });
}

const digest = (key: string): string => createHash('sha256').update(`ollamasim/${key}`).digest('hex');

/** The loaded table as /api/ps shows it (routes.go:2269–2303, sched.go:1745–1785). */
function running(sim: LiveSim, models: ModelInfo[]): RunningModel[] {
  const s = sim.sched;
  const now = sim.simNow();
  const out: RunningModel[] = [];
  for (const runner of s.loaded) {
    if (!runner) continue;
    const info = models[runner.model]!;
    // A forever keep_alive is time.Duration(math.MaxInt64) (types.go:1254); a timer never started shows now + duration (sched.go:1778).
    const expires = runner.sessionDuration === FOREVER ? sim.wallAt(now) + 9223372036854.775
      : runner.expireTimer >= 0 || runner.expiresAt > 0 ? sim.wallAt(runner.expiresAt)
      : sim.wallAt(now + runner.sessionDuration);
    out.push({
      name: s.cfg.models[runner.model]!.name, size: Math.round(runner.vram), digest: info.local.digest, details: info.details,
      expiresAt: expires, sizeVram: Math.round(runner.gpuShare.reduce((a, b) => a + b, 0)), contextLength: runner.numCtx,
    });
  }
  return out;
}

/** A made-up unit vector (the same for the same input position and size). */
function embedding(dims: number, i: number): number[] {
  const v = Array.from({ length: dims }, (_, k) => Math.sin((k + 1) * (i + 1.5)));
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => Math.round((x / norm) * 1e6) / 1e6);
}

