/**
 * The `node:http` and Express apps of the gate benchmark on a JSON-RPC `POST /mcp`: each answers
 * a small JSON document after parsing the JSON body, unprotected or behind `requireBearerAuth`.
 * The unprotected apps parse the body too (the work any MCP endpoint does), so the comparison
 * isolates the gate.
 *
 * @module
 */

import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Request, type Response } from 'express';
import { requireBearerAuth as expressGate } from '../../src/adapters/express/bearer.js';
import { requireBearerAuth as nodeGate } from '../../src/adapters/node/bearer.js';
import { silentLogger } from '../../src/lib/logger.js';
import { IntrospectionTokenVerifier } from '../../src/verify/introspection/verifier.js';
import type { IntrospectionTarget, RunningApp } from './apps.js';

const ANSWER = JSON.stringify({ jsonrpc: '2.0', id: 1, result: { ok: true } });

function answer(res: ServerResponse, body: unknown): void {
  res.writeHead(body === undefined ? 500 : 200, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(ANSWER),
  });
  res.end(ANSWER);
}

/** Reads and parses the body the plain way: chunks, concat, UTF-8, `JSON.parse`. */
function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch (err) {
        reject(err);
      }
    });
    req.on('error', reject);
  });
}

async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  close?: () => Promise<void>,
): Promise<RunningApp> {
  const server: Server = createServer(handler);
  server.keepAliveTimeout = 30_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    close: async () => {
      const closed = once(server, 'close');
      server.close();
      server.closeAllConnections();
      await closed;
      await close?.();
    },
  };
}

function verifierFor(target: IntrospectionTarget, serverUrl: string): IntrospectionTokenVerifier {
  return new IntrospectionTokenVerifier({
    introspectionEndpoint: target.endpoint,
    serverUrl,
    clientId: target.clientId,
    clientSecret: target.clientSecret,
    logger: silentLogger,
  });
}

/** The four contenders, bound on one port each; `serverUrl` is shared so one token fits all. */
export interface GateApps {
  readonly nodeOpen: RunningApp;
  readonly nodeGuarded: RunningApp;
  readonly expressOpen: RunningApp;
  readonly expressGuarded: RunningApp;
}

/** Starts the four apps; the gated ones verify against `target` for the resource `serverUrl`. */
export async function startGateApps(
  target: IntrospectionTarget,
  serverUrl: string,
): Promise<GateApps> {
  const nodeOpen = await listen((req, res) => {
    readJson(req).then(
      (body) => answer(res, body),
      () => res.writeHead(400).end(),
    );
  });
  const nodeVerifier = verifierFor(target, serverUrl);
  const gate = nodeGate({ verifier: nodeVerifier, requiredScopes: ['read'], logger: silentLogger });
  const nodeGuarded = await listen(
    (req, res) => {
      gate(req, res).then(
        (passed) => {
          if (passed !== undefined) answer(res, passed.body);
        },
        () => res.writeHead(500).end(),
      );
    },
    () => nodeVerifier.close(),
  );
  const expressApp = (guarded: boolean) => {
    const app = express();
    app.use(express.json());
    if (guarded) {
      const verifier = verifierFor(target, serverUrl);
      app.post('/mcp', expressGate({ verifier, requiredScopes: ['read'], logger: silentLogger }));
    }
    app.post('/mcp', (req: Request, res: Response) => answer(res, req.body));
    return app;
  };
  const expressOpen = await listen(expressApp(false));
  const expressGuarded = await listen(expressApp(true));
  return { nodeOpen, nodeGuarded, expressOpen, expressGuarded };
}
