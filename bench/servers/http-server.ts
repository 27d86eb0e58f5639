/**
 * Child-process entry of the HTTP benchmarks: hosts the fixture authorization server
 * (`oidc-provider`), a counting introspection server and the apps under load, and answers the
 * parent's IPC commands (start apps, read counters, sample RSS).
 *
 * @module
 */

import type { IntrospectionCacheOptions } from '../../src/verify/cache.js';
import { type AuthServer, startAuthServer } from '../../test/helpers/auth-server.js';
import { serveCommands } from '../lib/child.js';
import { type IntrospectionTarget, type RunningApp, startJsonApp, startMcpApp } from './apps.js';
import {
  type CountingIntrospection,
  type IntrospectionCounts,
  startCountingIntrospection,
} from './counting-introspection.js';
import { startGateApps } from './node-apps.js';

const closers: (() => Promise<void>)[] = [];
let authServer: AuthServer | undefined;
let counting: CountingIntrospection | undefined;
let rssTimer: NodeJS.Timeout | undefined;
let rssPeak = 0;

async function auth(): Promise<AuthServer> {
  if (authServer === undefined) {
    authServer = await startAuthServer({ scopes: ['read', 'write'] });
    const started = authServer;
    closers.push(() => started.close());
  }
  return authServer;
}

function providerTarget(as: AuthServer, cache?: false): IntrospectionTarget {
  return {
    endpoint: as.introspectionEndpoint,
    clientId: as.clients.basic.clientId,
    clientSecret: as.clients.basic.clientSecret,
    ...(cache === false ? { cache } : {}),
  };
}

function track(app: RunningApp): RunningApp {
  closers.push(() => app.close());
  return app;
}

async function countingServer(latencyMs: number): Promise<CountingIntrospection> {
  if (counting === undefined) {
    counting = await startCountingIntrospection(latencyMs);
    const started = counting;
    closers.push(() => started.close());
  }
  return counting;
}

/** Protected JSON app in front of the counting server; active tokens are `valid-<n>`. */
async function countedApp(
  latencyMs: number,
  cache?: IntrospectionCacheOptions,
): Promise<{ url: string }> {
  const server = await countingServer(latencyMs);
  const app = track(
    await startJsonApp({
      endpoint: server.url,
      clientId: 'bench-rs',
      clientSecret: 'bench-secret',
      ...(cache === undefined ? {} : { cache }),
    }),
  );
  server.audience = app.url;
  return { url: app.url };
}

serveCommands(
  {
    async gate() {
      const as = await auth();
      const open = track(await startJsonApp());
      const guarded = track(await startJsonApp(providerTarget(as)));
      const token = await as.issueToken({ scope: 'read', resource: guarded.url });
      return { open: open.url, protected: guarded.url, token };
    },
    /**
     * The four apps of `bench/gate-node.ts`. By default they introspect at the counting server (plain
     * `node:http`): the fixture `oidc-provider` runs an `AsyncLocalStorage`, and once it has served
     * a request Node keeps promise hooks on for the whole process, which taxes every promise of
     * the apps under test (`withProvider` measures that case: any app with an ALS, e.g. an
     * OpenTelemetry context manager, pays it).
     */
    async gatePost(args: { withProvider?: boolean } = {}) {
      const resource = 'https://mcp.bench.example/mcp';
      let target: IntrospectionTarget;
      let token: string;
      if (args.withProvider === true) {
        const as = await auth();
        target = providerTarget(as);
        token = await as.issueToken({ scope: 'read', resource });
      } else {
        const server = await countingServer(0);
        server.audience = resource;
        target = { endpoint: server.url, clientId: 'bench-rs', clientSecret: 'bench-secret' };
        token = 'valid-k3Jq9vT2mX8pL5nR7sW1yB4dF6gH0jA2eC9uZ3oQ5iE';
      }
      const apps = await startGateApps(target, resource);
      for (const app of Object.values(apps)) track(app);
      return {
        nodeOpen: apps.nodeOpen.url,
        nodeGuarded: apps.nodeGuarded.url,
        expressOpen: apps.expressOpen.url,
        expressGuarded: apps.expressGuarded.url,
        token,
      };
    },
    async mcp(args: { tokens: number }) {
      const as = await auth();
      const open = track(await startMcpApp());
      const cached = track(await startMcpApp(providerTarget(as)));
      const uncached = track(await startMcpApp(providerTarget(as, false)));
      const issue = async (resource: string) => {
        const tokens: string[] = [];
        for (let i = 0; i < args.tokens; i++)
          tokens.push(await as.issueToken({ scope: 'read', resource }));
        return tokens;
      };
      return {
        open: open.url,
        cached: cached.url,
        uncached: uncached.url,
        cachedTokens: await issue(cached.url),
        uncachedTokens: await issue(uncached.url),
      };
    },
    async providerFanIn() {
      const as = await auth();
      const app = track(await startJsonApp(providerTarget(as)));
      const token = await as.issueToken({ scope: 'read', resource: app.url });
      return { url: app.url, token, before: as.introspectionCount };
    },
    async providerCount() {
      return (await auth()).introspectionCount;
    },
    countedApp: (args: { latencyMs: number; cache?: IntrospectionCacheOptions }) =>
      countedApp(args.latencyMs, args.cache),
    counts: (): IntrospectionCounts => counting?.counts() ?? { requests: 0, maxInFlight: 0 },
    resetCounts: () => counting?.reset(),
    cpu() {
      const usage = process.cpuUsage();
      return usage.user + usage.system;
    },
    rssStart() {
      rssPeak = process.memoryUsage.rss();
      rssTimer = setInterval(() => {
        rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
      }, 10);
      return rssPeak;
    },
    rssStop() {
      clearInterval(rssTimer);
      rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
      return { peak: rssPeak, now: process.memoryUsage.rss() };
    },
  },
  async () => {
    for (const close of closers.reverse()) await close().catch(() => {});
  },
);
