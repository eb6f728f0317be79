import { createServer } from 'node:net';

/** A TCP port free on 127.0.0.1 right now (bound to port 0, read back, released): for servers started by tests and benches. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}
