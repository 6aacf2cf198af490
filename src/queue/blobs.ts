import type { Redis } from 'ioredis';

/**
 * Files by content hash in Redis, for workers on other machines: each stored
 * once (a second upload of the same bytes is a no-op), in chunks well under
 * Redis's 512 MiB string limit, and kept for a week after the last sweep that
 * sent them.
 */
const CHUNK = 32 * 1024 * 1024;
const KEEP_S = 7 * 24 * 3600;
const key = (sha: string) => `ollamasim:blob:${sha}`;

export async function putBlob(redis: Redis, sha: string, bytes: Buffer): Promise<void> {
  const chunks = Math.max(1, Math.ceil(bytes.length / CHUNK));
  if ((await redis.get(key(sha))) === String(chunks)) {
    await redis.expire(key(sha), KEEP_S);
    for (let i = 0; i < chunks; i++) await redis.expire(`${key(sha)}:${i}`, KEEP_S);
    return;
  }
  for (let i = 0; i < chunks; i++) await redis.set(`${key(sha)}:${i}`, bytes.subarray(i * CHUNK, (i + 1) * CHUNK), 'EX', KEEP_S);
  // The count goes last: a reader that sees it sees every chunk.
  await redis.set(key(sha), String(chunks), 'EX', KEEP_S);
}

export async function getBlob(redis: Redis, sha: string): Promise<Buffer> {
  const chunks = Number(await redis.get(key(sha)));
  if (!(chunks > 0)) throw new Error(`file ${sha.slice(0, 12)}… is not in the queue (expired, or sent to another Redis)`);
  const parts: Buffer[] = [];
  for (let i = 0; i < chunks; i++) {
    const part = await redis.getBuffer(`${key(sha)}:${i}`);
    if (!part) throw new Error(`file ${sha.slice(0, 12)}… is missing chunk ${i}`);
    parts.push(part);
  }
  return Buffer.concat(parts);
}
