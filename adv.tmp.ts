import { loadScenario } from './src/io/load-scenario.js';
import { advise } from './src/plan/advise.js';
const sc = await loadScenario(process.argv[2]!);
let t = performance.now();
let n = 0;
const a = advise(sc, { progress: (d) => { n = d; } });
console.log('ms', performance.now() - t, 'runs', n, a.deployment, a.models.map((m) => m.keep_alive));
