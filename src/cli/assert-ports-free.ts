// Before anything starts: every dyno port must be free, or nothing starts at all.
import net from 'node:net';
import { DynoError } from '../core/errors.js';

// Try to bind the port on loopback; resolves true when it was free.
function isFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

export async function assertPortsFree(ports: number[], host = '127.0.0.1'): Promise<void> {
  const results = await Promise.all(ports.map((port) => isFree(port, host)));
  const taken = ports.filter((_, i) => !results[i]);
  if (taken.length > 0) {
    throw new DynoError('PORT_IN_USE', `port${taken.length > 1 ? 's' : ''} ${taken.join(', ')} already in use`, {
      hint: 'another dyno start or server may be running; stop it, or pick another base port with -p',
    });
  }
}
