import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GatewayConfigError } from '../../src/gateway/config/error.js';
import { GATEWAY_HELP } from '../../src/gateway/config/help.js';
import { type GatewayConfig, loadGatewayConfig } from '../../src/gateway/config/resolve.js';

const BASE = ['--upstream', 'http://127.0.0.1:3001/mcp', '--issuer', 'https://as.example.com'];

function load(argv: readonly string[], env: NodeJS.ProcessEnv = {}): GatewayConfig {
  const loaded = loadGatewayConfig(argv, env);
  if (loaded.help) throw new Error('help');
  return loaded.config;
}

function refusal(fn: () => unknown): GatewayConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(GatewayConfigError);
    return err as GatewayConfigError;
  }
  throw new Error('no error');
}

function configFile(content: unknown): string {
  const file = join(tmpdir(), `gateway-cors-${process.pid}-${Math.random()}.json`);
  writeFileSync(file, JSON.stringify(content));
  return file;
}

describe('--cors-origin', () => {
  it('is off by default', () => {
    expect(load(BASE).corsOrigin).toBeUndefined();
    expect(load([...BASE, '--config', configFile({ corsOrigin: [] })]).corsOrigin).toBeUndefined();
  });

  it('reads a repeated flag, a comma-separated variable and a file array, normalised like Origin', () => {
    const flags = [...BASE, '--cors-origin', 'HTTPS://App.Example.COM:443/'];
    expect(load([...flags, '--cors-origin', 'http://localhost:5173']).corsOrigin).toEqual([
      'https://app.example.com',
      'http://localhost:5173',
    ]);
    const env = { AUTHFLOW_CORS_ORIGIN: 'https://a.example.com, http://[::1]:80' };
    expect(load(BASE, env).corsOrigin).toEqual(['https://a.example.com', 'http://[::1]']);
    const file = configFile({ corsOrigin: ['https://b.example.com:8443'] });
    expect(load([...BASE, '--config', file]).corsOrigin).toEqual(['https://b.example.com:8443']);
  });

  it('"*" alone allows any origin; flags win over the environment', () => {
    expect(load([...BASE, '--cors-origin', '*']).corsOrigin).toBe('*');
    const env = { AUTHFLOW_CORS_ORIGIN: '*' };
    expect(load([...BASE, '--cors-origin', 'https://a.example.com'], env).corsOrigin).toEqual([
      'https://a.example.com',
    ]);
  });

  it.each([
    ['https://app.example.com/path', 'no path'],
    ['https://app.example.com?x=1', 'no path'],
    ['https://app.example.com#top', 'no path'],
    ['https://user:pw@app.example.com', 'credentials'],
    ['ftp://app.example.com', 'http: or https:'],
    ['app.example.com', 'not an origin'],
    ['null', 'not an origin'],
    ['', 'not an origin'],
  ])('flag %j is refused (%s)', (value, words) => {
    const err = refusal(() => load([...BASE, '--cors-origin', value]));
    expect(err.field).toBe('--cors-origin');
    expect(err.exitCode).toBe(2);
    expect(err.message).toContain(words);
    expect(err.message).not.toContain('pw');
  });

  it('"*" mixed with origins is refused, from each source, naming it as written', () => {
    const env = { AUTHFLOW_CORS_ORIGIN: '*,https://a.example.com' };
    expect(refusal(() => load(BASE, env)).field).toBe('AUTHFLOW_CORS_ORIGIN');
    const file = configFile({ corsOrigin: ['https://a.example.com', '*'] });
    const got = refusal(() => load([...BASE, '--config', file]));
    expect(got.field).toBe('corsOrigin');
    expect(got.message).toContain('"*" cannot be mixed');
    const flags = [...BASE, '--cors-origin', '*', '--cors-origin', 'https://a.example.com'];
    expect(refusal(() => load(flags)).field).toBe('--cors-origin');
  });

  it('a file value that is not a list of strings, or holds an empty one, is refused', () => {
    expect(refusal(() => load([...BASE, '--config', configFile({ corsOrigin: 7 })])).field).toBe(
      'corsOrigin',
    );
    const empty = configFile({ corsOrigin: [''] });
    expect(refusal(() => load([...BASE, '--config', empty])).field).toBe('corsOrigin');
  });

  it('is in --help', () => {
    expect(GATEWAY_HELP).toContain('--cors-origin <origin>');
  });
});
