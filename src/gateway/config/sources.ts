/**
 * The three sources of gateway settings, each read into the same shape: command-line flags,
 * `AUTHFLOW_*` environment variables and the JSON config file.
 *
 * @module
 * @internal
 */

import { readFileSync } from 'node:fs';
import { GatewayConfigError } from './error.js';
import {
  envOf,
  FIELDS,
  type FieldName,
  type FieldSpec,
  FRICTION_FILE_KEYS,
  fieldOfFlag,
  flagOf,
} from './fields.js';

/** A setting's value as read: text, whole number, boolean or list of text. */
export type RawValue = string | number | boolean | readonly string[];

/** The settings one source gave, by field. */
export type RawSettings = Partial<Record<FieldName, RawValue>>;

/** What the command line holds besides settings. */
export interface ParsedArgs {
  readonly settings: RawSettings;
  readonly configFile: string | undefined;
  readonly help: boolean;
}

const TRUE: ReadonlySet<string> = new Set(['true', '1', 'yes', 'on']);
const FALSE: ReadonlySet<string> = new Set(['false', '0', 'no', 'off']);

function scalar(spec: FieldSpec, text: string, field: string): string | number | boolean {
  if (spec.kind === 'int') {
    if (!/^\d{1,15}$/.test(text.trim())) {
      throw new GatewayConfigError(field, 'must be a whole number');
    }
    return Number(text.trim());
  }
  if (spec.kind === 'bool') {
    const lower = text.trim().toLowerCase();
    if (TRUE.has(lower)) return true;
    if (FALSE.has(lower)) return false;
    throw new GatewayConfigError(field, 'must be true or false');
  }
  return text;
}

function csv(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Splits a comma-separated `repeat` value: a piece not starting a new item continues the last. */
export function splitRepeated(text: string, item: RegExp): string[] {
  const items: string[] = [];
  for (const piece of text.split(',')) {
    const trimmed = piece.trim();
    if (items.length > 0 && !item.test(trimmed)) items[items.length - 1] += `,${piece}`;
    else items.push(trimmed);
  }
  return items.map((s) => s.trim()).filter((s) => s !== '');
}

function takeValue(argv: readonly string[], i: number, flag: string, inline?: string) {
  if (inline !== undefined) return { value: inline, next: i };
  const value = argv[i + 1];
  if (value === undefined || value.startsWith('--')) {
    throw new GatewayConfigError(flag, 'needs a value');
  }
  return { value, next: i + 1 };
}

/**
 * Reads the flags of `gateway` (the arguments after the command).
 *
 * @throws GatewayConfigError for an unknown flag, a missing value, a secret passed as a flag.
 */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const settings: Partial<Record<FieldName, RawValue>> = {};
  let configFile: string | undefined;
  if (argv.includes('--help') || argv.includes('-h')) {
    return { settings, configFile: undefined, help: true };
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const eq = arg.indexOf('=');
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    const inline = eq === -1 ? undefined : arg.slice(eq + 1);
    if (flag === '--config') {
      const taken = takeValue(argv, i, flag, inline);
      configFile = taken.value;
      i = taken.next;
      continue;
    }
    const name = flag.startsWith('--') ? fieldOfFlag(flag) : undefined;
    if (name === undefined) throw new GatewayConfigError(flag, 'unknown option (see --help)');
    const spec: FieldSpec = FIELDS[name];
    if (spec.secret) {
      throw new GatewayConfigError(flag, `secrets are read from ${envOf(name)} or --config only`);
    }
    if (spec.kind === 'bool' && inline === undefined) {
      settings[name] = true;
      continue;
    }
    const taken = takeValue(argv, i, flag, inline);
    i = taken.next;
    if (spec.kind === 'csv') settings[name] = csv(taken.value);
    else if (spec.kind === 'repeat') {
      settings[name] = [...((settings[name] as string[] | undefined) ?? []), taken.value];
    } else settings[name] = scalar(spec, taken.value, flag);
  }
  return { settings, configFile, help: false };
}

/**
 * Reads the `AUTHFLOW_*` variables (empty ones count as unset).
 *
 * @throws GatewayConfigError naming the variable for a value of the wrong kind.
 */
export function readEnv(env: NodeJS.ProcessEnv): RawSettings {
  const settings: Partial<Record<FieldName, RawValue>> = {};
  for (const [name, spec] of Object.entries(FIELDS) as [FieldName, FieldSpec][]) {
    const text = env[envOf(name)];
    if (text === undefined || text === '') continue;
    if (spec.kind === 'csv') settings[name] = csv(text);
    else if (spec.kind === 'repeat') settings[name] = splitRepeated(text, spec.item ?? /^/);
    else settings[name] = scalar(spec, text, envOf(name));
  }
  return settings;
}

function fileList(value: unknown, key: string, joiner: string): string[] {
  if (typeof value === 'string') return csv(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  if (joiner !== '' && typeof value === 'object' && value !== null && !Array.isArray(value)) {
    return Object.entries(value).map(([k, v]) => {
      const text = Array.isArray(v) ? v.join(',') : v;
      if (typeof text !== 'string' && typeof text !== 'number') {
        throw new GatewayConfigError(`${key}.${k}`, 'must be a string, a number or a list');
      }
      return `${k}${joiner}${text}`;
    });
  }
  throw new GatewayConfigError(key, 'must be a list of strings');
}

function fileValue(name: FieldName, value: unknown): RawValue {
  const spec: FieldSpec = FIELDS[name];
  if (spec.kind === 'csv' || spec.kind === 'repeat') {
    const joiner =
      name === 'upstreamHeader' ? ': ' : name === 'toolScope' || name === 'friction' ? '=' : '';
    return fileList(value, name, joiner);
  }
  if (spec.kind === 'int') {
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
    throw new GatewayConfigError(name, 'must be a whole number');
  }
  if (spec.kind === 'bool') {
    if (typeof value === 'boolean') return value;
    throw new GatewayConfigError(name, 'must be true or false');
  }
  if (typeof value !== 'string') throw new GatewayConfigError(name, 'must be a string');
  return value;
}

/** The config file's settings and the full friction configuration it may hold. */
export interface FileSettings {
  readonly settings: RawSettings;
  readonly friction: Readonly<Record<string, unknown>>;
}

/**
 * Reads the JSON config file: an object of known keys (camelCase of the flags, plus
 * `defaultConfig`, `toolConfigs`, `toolGroups`).
 *
 * @throws GatewayConfigError naming `--config` (unreadable, not JSON) or the bad key.
 */
export function readConfigFile(path: string): FileSettings {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    const reason = err instanceof SyntaxError ? 'is not valid JSON' : 'cannot be read';
    throw new GatewayConfigError('--config', `${path} ${reason}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new GatewayConfigError('--config', `${path} must hold a JSON object`);
  }
  const settings: Partial<Record<FieldName, RawValue>> = {};
  const friction: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if ((FRICTION_FILE_KEYS as readonly string[]).includes(key)) friction[key] = value;
    else if (Object.hasOwn(FIELDS, key))
      settings[key as FieldName] = fileValue(key as FieldName, value);
    else throw new GatewayConfigError(key, `unknown key in ${path}`);
  }
  return { settings, friction };
}

/** Where a field's value came from, for error messages. */
export type Source = 'flag' | 'env' | 'file' | 'default';

/** The field's name as written in `source`. */
export function fieldLabel(name: FieldName, source: Source): string {
  if (source === 'flag') return flagOf(name);
  if (source === 'env') return envOf(name);
  return name;
}
