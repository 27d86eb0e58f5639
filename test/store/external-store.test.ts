/**
 * A `Store` written outside this repository, from the package root's public names alone (no
 * import below reaches into `src/` past the `.` and `./redis` entries): its own key-value part with TTLs, friction
 * state by composition with a `MemoryStore`. The registry and the introspection cache accept it
 * and behave as on the embedded store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FrictionRegistry,
  type FrictionResult,
  type FrictionStateStore,
  type FrictionStoreSpec,
  IntrospectionTokenVerifier,
  MemoryStore,
  type Store,
} from '../../src/index.js';
import { createSharedIntrospectionCache } from '../../src/redis.js';
import { MUTATION_TOOLS } from '../friction/_fixtures.js';
import { type AuthServer, startAuthServer } from '../helpers/auth-server.js';

/** A third-party store: values in a Map with expiry, friction delegated to a MemoryStore. */
class TtlMapStore implements Store {
  readonly shared = false;
  readonly writes: string[] = [];
  readonly #values = new Map<string, { value: string; until: number }>();
  readonly #friction: MemoryStore;
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
    this.#friction = new MemoryStore({ now });
  }

  async get(key: string): Promise<string | undefined> {
    const entry = this.#values.get(key);
    if (entry === undefined || entry.until <= this.#now()) return undefined;
    return entry.value;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    if (!(ttlMs >= 1)) throw new TypeError('ttlMs must be ≥ 1');
    this.writes.push(`${key}=${value}`);
    this.#values.set(key, { value, until: this.#now() + ttlMs });
  }

  async delete(key: string): Promise<void> {
    this.#values.delete(key);
  }

  async setIfAbsent(key: string, ttlMs: number): Promise<boolean> {
    if ((await this.get(key)) !== undefined) return false;
    await this.set(key, '1', ttlMs);
    return true;
  }

  friction(spec: FrictionStoreSpec): FrictionStateStore {
    return this.#friction.friction(spec);
  }

  async close(): Promise<void> {
    await this.#friction.close();
  }
}

const RESOURCE = 'https://mcp.example.com/mcp';
const SILENT = { debug() {}, info() {}, warn() {}, error() {} };

describe('a Store implemented from the public types alone', () => {
  let as: AuthServer;

  beforeAll(async () => {
    as = await startAuthServer();
  });

  afterAll(async () => {
    await as.close();
  });

  it('a FrictionRegistry on it decides exactly as on MemoryStore', async () => {
    let clock = 1_700_000_000_000;
    const now = () => clock;
    const options = { toolConfigs: MUTATION_TOOLS, now, logger: SILENT };
    const external = new TtlMapStore(now);
    const ours = new FrictionRegistry({ ...options, store: external });
    const reference = new FrictionRegistry({ ...options, store: new MemoryStore({ now }) });
    const tools = Object.keys(MUTATION_TOOLS);
    const got: FrictionResult[] = [];
    const want: FrictionResult[] = [];
    for (let i = 0; i < 400; i++) {
      clock += 7;
      const key = `client-${i % 3}`;
      if (i % 4 === 0) {
        await ours.recordUnconfigured(key, 'get_tasks');
        await reference.recordUnconfigured(key, 'get_tasks');
        continue;
      }
      const tool = tools[i % 2]!;
      got.push(await ours.checkAndRecord(key, tool));
      want.push(await reference.checkAndRecord(key, tool));
    }
    expect(got).toEqual(want);
    expect(got.some((r) => !r.allowed)).toBe(true);
    expect(await ours.getClientStatus('client-1')).toEqual(
      await reference.getClientStatus('client-1'),
    );
    await ours.close();
    await reference.close();
    await external.close();
  });

  it('the introspection cache keeps verdicts in it, never the raw token', async () => {
    const store = new TtlMapStore();
    const verifierOn = () =>
      new IntrospectionTokenVerifier({
        introspectionEndpoint: as.introspectionEndpoint,
        serverUrl: RESOURCE,
        clientId: as.clients.basic.clientId,
        clientSecret: as.clients.basic.clientSecret,
        allowLocalhost: true,
        cache: { store: createSharedIntrospectionCache({ store }) },
        logger: SILENT,
      });
    // Two verifiers: the second has nothing in memory, so it can only answer from the store.
    const [one, two] = [verifierOn(), verifierOn()];
    const token = await as.issueToken({ resource: RESOURCE, scope: 'read' });
    const before = as.introspectionCount;
    const first = await one.verifyAccessToken(token);
    const second = await two.verifyAccessToken(token);
    expect(as.introspectionCount - before).toBe(1);
    expect(second.clientId).toBe(first.clientId);
    expect(store.writes).toHaveLength(1);
    expect(store.writes[0]).not.toContain(token);
    await one.close();
    await two.close();
    await store.close();
  });
});
