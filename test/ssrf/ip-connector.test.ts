import * as http from 'node:http';
import type { LookupFunction, Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPinnedConnector, type PinnedConnectorOptions } from '../../src/ssrf/connector.js';
import type { AddressPolicy } from '../../src/ssrf/policy.js';

type BaseConnect = NonNullable<PinnedConnectorOptions['baseConnect']>;

const LOOPBACK: AddressPolicy = { allowLoopback: true, allowPrivateNetwork: false };
const servers: http.Server[] = [];

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve).closeAllConnections())),
  );
});

async function listen(): Promise<number> {
  const server = http.createServer((_req, res) => res.end('ok'));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

function connect(settings: Partial<PinnedConnectorOptions>, hostname: string, port: number) {
  const connector = createPinnedConnector({
    policyFor: () => LOOPBACK,
    lookup: (() => {}) as unknown as LookupFunction,
    connectTimeoutMs: 2_000,
    ...settings,
  });
  return new Promise<Socket>((resolve, reject) => {
    connector({ hostname, protocol: 'http:', port: String(port) }, (err, socket) =>
      err ? reject(err) : resolve(socket as Socket),
    );
  });
}

describe('createPinnedConnector', () => {
  it('refuses a host the policy refuses without looking it up', async () => {
    const lookup = vi.fn();
    const err = await connect(
      { policyFor: () => undefined, lookup: lookup as never },
      'x',
      1,
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ERR_SSRF_BLOCKED' });
    expect(lookup).not.toHaveBeenCalled();
  });

  it('checks IP-literal hosts without a lookup', async () => {
    const port = await listen();
    const lookup = vi.fn();
    await expect(connect({ lookup: lookup as never }, '10.0.0.1', port)).rejects.toMatchObject({
      code: 'ERR_SSRF_BLOCKED',
    });
    await expect(connect({ lookup: lookup as never }, '0.0.0.0', port)).rejects.toMatchObject({
      code: 'ERR_SSRF_BLOCKED',
    });
    const socket = await connect({ lookup: lookup as never }, '127.0.0.1', port);
    expect(socket.remoteAddress).toBe('127.0.0.1');
    socket.destroy();
    expect(lookup).not.toHaveBeenCalled();
  });

  it('accepts a resolver that answers with a single address string', async () => {
    const port = await listen();
    const lookup = ((_h: string, _o: unknown, cb: (e: null, a: string, f: number) => void) =>
      cb(null, '127.0.0.1', 4)) as unknown as LookupFunction;
    const socket = await connect({ lookup }, 'localhost', port);
    expect(socket.remoteAddress).toBe('127.0.0.1');
    socket.destroy();
  });

  it('refuses and destroys a socket connected to another address', async () => {
    const destroy = vi.fn();
    const faulty: BaseConnect = (_options, callback) =>
      callback(null, { remoteAddress: '10.0.0.1', destroy } as unknown as Socket);
    const err = await connect({ baseConnect: faulty }, '127.0.0.1', 1).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ERR_SSRF_BLOCKED' });
    expect(destroy).toHaveBeenCalledOnce();
  });

  it('refuses a socket whose remote address is allowed but not the checked one', async () => {
    const destroy = vi.fn();
    const faulty: BaseConnect = (_options, callback) =>
      callback(null, { remoteAddress: '127.0.0.2', destroy } as unknown as Socket);
    const err = await connect({ baseConnect: faulty }, '127.0.0.1', 1).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ERR_SSRF_BLOCKED' });
    expect(destroy).toHaveBeenCalledOnce();
  });

  it('refuses a socket without a remote address', async () => {
    const destroy = vi.fn();
    const faulty: BaseConnect = (_options, callback) =>
      callback(null, { remoteAddress: undefined, destroy } as unknown as Socket);
    await expect(connect({ baseConnect: faulty }, '::1', 1)).rejects.toMatchObject({
      code: 'ERR_SSRF_BLOCKED',
    });
  });

  it('passes the checked address as hostname and keeps the name as host (for SNI)', async () => {
    const seen: { hostname: string; host?: string | undefined }[] = [];
    const failing: BaseConnect = (options, callback) => {
      seen.push({ hostname: options.hostname, host: options.host });
      callback(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }), null);
    };
    const lookup = ((_h: string, _o: unknown, cb: (e: null, a: unknown[]) => void) =>
      cb(null, [
        { address: '::1', family: 6 },
        { address: '127.0.0.1', family: 4 },
      ])) as unknown as LookupFunction;
    const err = await connect({ baseConnect: failing, lookup }, 'localhost', 1).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'ECONNREFUSED' });
    expect(seen).toEqual([
      { hostname: '::1', host: 'localhost' },
      { hostname: '127.0.0.1', host: 'localhost' },
    ]);
  });
});
