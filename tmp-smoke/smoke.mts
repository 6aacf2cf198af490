import { Ollama } from 'ollama';
import { loadScenario } from '/work/wt/i17/src/io/load-scenario.ts';
import { startServe } from '/work/wt/i17/src/serve/server.ts';
const sc = await loadScenario('/tmp/i17/s.yaml');
const h = await startServe({ scenario: sc, host: '127.0.0.1', port: 0, speed: 1, jitter: 0.05, outputTokens: 20, clock: { now: () => performance.now(), wall: () => Date.now() } });
const o = new Ollama({ host: h.url });
const t = performance.now();
console.log(await o.generate({ model: 'a', prompt: 'hello there', stream: false }), performance.now() - t);
const st = await o.chat({ model: 'b', messages: [{ role: 'user', content: 'hi' }], stream: true });
let n = 0; for await (const c of st) { n++; if (c.done) console.log(c); }
console.log('chunks', n, performance.now() - t);
console.log(JSON.stringify(await o.ps()));
console.log(await o.list());
console.log(await o.embed({ model: 'a', input: ['x', 'y'] }).then(r => ({...r, embeddings: r.embeddings.length})));
console.log(await o.generate({ model: 'a', prompt: '', keep_alive: 0 }));
try { await o.generate({ model: 'zz', prompt: 'x' }); } catch (e) { console.log('err', (e as Error).message); }
try { await o.generate({ model: 'a', prompt: 'x', keep_alive: '300' as any }); } catch (e) { console.log('err', (e as Error).message); }
await h.close();
