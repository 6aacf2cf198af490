import { readFileSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import { InputError, msg } from '../diag/index.js';
import { REQUEST_FIELDS, RequestRows } from '../config/request-rows.js';
import { Resolver } from '../config/resolve.js';
import type { ResolvedScenario, ResolvedUsers } from '../config/types.js';
import { validateShape } from '../config/validate.js';
import { modelRates, resolveSources } from '../config/sources.js';
import { synthesizeWorkload } from '../config/synthetic.js';
import { resolveUsers } from '../config/users.js';
import { withCatalogueRates } from '../config/hardware.js';
import { readSources } from './read-sources.js';
import { readTraceCsv } from './read-trace.js';
import { YamlSource } from './yaml-source.js';

/**
 * Reads a scenario file (YAML or JSON) and everything it refers to, and
 * returns it resolved — or throws one InputError naming file, line and field.
 * Phases: read → parse (YAML with positions) → shape (zod) → units and
 * candidates → workload (inline requests or the trace CSV).
 */
export async function loadScenario(file: string): Promise<ResolvedScenario> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const [problem, hint] = msg.cannotRead((e as NodeJS.ErrnoException).code ?? String(e));
    throw new InputError({ file, line: 1, field: '(file)', problem, hint });
  }
  const src = new YamlSource(file, text);
  const raw = src.toJS();
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw src.error([], msg.notAnObject());
  const shape = validateShape(src, raw);
  const resolver = new Resolver(src, shape);
  const warnings: string[] = [];
  const candidates = resolver.candidates(warnings);
  const rates = withCatalogueRates(modelRates(src, shape, resolver.modelNames), candidates[0]!);
  const rows = new RequestRows(resolver.modelNames, rates);
  const { trace, requests, sources, synthetic } = shape.workload;
  if ([trace, requests, sources, synthetic].filter((w) => w !== undefined).length > 1) throw src.error(['workload'], msg.bothWorkloads());
  let fromSources: Awaited<ReturnType<typeof readSources>> | null = null;
  let users: ResolvedUsers | undefined;
  if (synthetic !== undefined) {
    const length = synthetic.length !== undefined ? resolver.duration(synthetic.length, ['workload', 'synthetic', 'length']) : 86400e6;
    if (synthetic.users) users = resolveUsers(src, synthetic.users, resolver.modelNames, rates, length);
    fromSources = { trace: synthesizeWorkload(src, synthetic, resolver.modelNames, rates, shape.seed ?? 1, (v, p) => resolver.duration(v, p)), invalidKeepAlive: 0, firstInvalid: null };
  } else if (sources !== undefined) {
    const resolved = resolveSources(src, sources, resolver.modelNames, (f) => resolvePath(dirname(file), f), (v, p) => resolver.duration(v, p));
    fromSources = await readSources(resolved.specs, resolved.columns, resolver.modelNames, rates, shape.seed ?? 1);
    rows.invalidKeepAlive = fromSources.invalidKeepAlive;
    rows.firstInvalid = fromSources.firstInvalid;
  } else if (trace !== undefined) {
    await readTraceCsv(resolvePath(dirname(file), trace), rows);
  } else if (requests !== undefined) {
    requests.forEach((req, i) => {
      for (const key of Object.keys(req)) {
        if (!(REQUEST_FIELDS as readonly string[]).includes(key)) {
          throw src.error(['workload', 'requests', i, key], msg.unknownKey(key, REQUEST_FIELDS), true);
        }
      }
      rows.add(
        (f) => req[f],
        (field, m) => src.error(['workload', 'requests', i, ...(field in req ? [field] : [])], m),
        `${file}:${src.line(['workload', 'requests', i])}`,
        false,
      );
    });
  } else {
    throw src.error(['workload'], msg.noWorkload());
  }
  if (rows.invalidKeepAlive > 0) {
    warnings.push(`${rows.invalidKeepAlive} request(s) carry a keep_alive Ollama rejects; they get 400 in the results (first: ${rows.firstInvalid})`);
  }
  for (const c of candidates) {
    const q = c.server.OLLAMA_MAX_QUEUE;
    if (q !== undefined && /^\s*[01]\s*$/.test(String(q))) {
      warnings.push(`${file}: candidate "${c.name}": OLLAMA_MAX_QUEUE below 2 also shrinks Ollama's internal channels; a real server may stall (spec §9.4)`);
    }
  }
  const built = fromSources?.trace ?? rows.build();
  if (built.length === 0) warnings.push(`${file}: the workload has no requests`);
  return {
    file,
    name: resolver.name(),
    seed: shape.seed ?? 1,
    horizon: resolver.horizon(),
    modelNames: resolver.modelNames,
    candidates,
    warm: candidates[0]?.warm ?? [],
    trace: built,
    ...(users ? { users } : {}),
    warnings,
  };
}
