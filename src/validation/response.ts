/**
 * Response validation helpers for tool implementations that call backends: check the shape of
 * what a backend returned before a tool hands it to the model, and turn failures into the
 * `{"error": "..."}` JSON string tools return. Error messages are generic: they name the
 * `context` the caller chose and never echo backend keys, values or error texts (those go to the
 * logger only).
 *
 * @module
 */

import { defaultLogger } from '../lib/logger.js';
import type { Logger } from '../types.js';

/** What a backend client call returned: the shape of the Python package's `ApiResponse`. */
export interface BackendResponse {
  /** Whether the backend call succeeded. */
  readonly success: boolean;
  /** The decoded body. */
  readonly data?: unknown;
  /** The backend's own error text; logged, never returned. */
  readonly error?: string | null;
}

/** A JSON object as the helpers return it. */
export type JsonObject = Record<string, unknown>;

/**
 * Any schema with a zod-style `safeParse` (zod 3/4, or your own), used to validate items.
 * Items that fail are dropped like non-object items.
 */
export interface ItemSchema<T extends JsonObject = JsonObject> {
  safeParse(value: unknown): { success: true; data: T } | { success: false };
}

/** Options of the validation helpers. */
export interface ValidationOptions<T extends JsonObject = JsonObject> {
  /** Validates each item (list) or the object; failing items are dropped. */
  readonly schema?: ItemSchema<T>;
  /** Where failures are logged. @default warnings and errors as JSON on stderr */
  readonly logger?: Logger;
}

/** `[value, null]` on success, `[empty, message]` on failure. */
export type ValidationResult<T> = readonly [T, string | null];

/**
 * Builds the JSON error string a tool returns.
 *
 * @param message - The error message.
 * @returns `{"error": message}` as a JSON string.
 * @example
 * ```ts
 * jsonError('Task not found'); // '{"error":"Task not found"}'
 * ```
 */
export function jsonError(message: string): string {
  return JSON.stringify({ error: message });
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}

function failed(response: BackendResponse, context: string, logger: Logger): string {
  logger.error({
    event: 'backend_response_failed',
    context,
    has_backend_error: typeof response.error === 'string' && response.error.length > 0,
  });
  return `Failed to fetch ${context}`;
}

function unwrapList(
  data: JsonObject,
  context: string,
  key: string | undefined,
): { found: true; value: unknown } | { found: false } {
  for (const k of [key, context, `${context}s`]) {
    if (k && Object.hasOwn(data, k)) return { found: true, value: data[k] };
  }
  return { found: false };
}

/**
 * Checks that a backend response holds a list of objects. A wrapped list (`{"tasks": [...]}`)
 * is unwrapped by `key`, then `context`, then `context + 's'`. Items that are not objects (or fail
 * `schema`) are dropped with a warning. A missing body (`data` null/undefined) is an empty list.
 *
 * @param response - What the backend client returned.
 * @param context - What was fetched, e.g. `"task"`; used in messages and as a wrapper key.
 * @param key - The wrapper key to try first.
 * @param options - Optional item schema and logger.
 * @returns `[items, null]`, or `[[], message]` when the response is unusable.
 */
export function validateListResponse<T extends JsonObject = JsonObject>(
  response: BackendResponse,
  context: string,
  key?: string,
  options: ValidationOptions<T> = {},
): ValidationResult<T[]> {
  const logger = options.logger ?? defaultLogger;
  if (!response.success) return [[], failed(response, context, logger)];
  let data = response.data;
  if (data === null || data === undefined) return [[], null];
  if (isObject(data)) {
    const unwrapped = unwrapList(data, context, key);
    if (!unwrapped.found) {
      logger.error({ event: 'backend_response_invalid', context, reason: 'missing_list_key' });
      return [[], `Backend returned ${context} in an unexpected format`];
    }
    data = unwrapped.value;
  }
  if (!Array.isArray(data)) {
    logger.error({ event: 'backend_response_invalid', context, got: typeName(data) });
    return [[], `Backend returned invalid ${context} format: expected list, got ${typeName(data)}`];
  }
  const items: T[] = [];
  data.forEach((item: unknown, index) => {
    const parsed = checkItem(item, options.schema);
    if (parsed === undefined) {
      logger.warn({ event: 'backend_item_skipped', context, index, got: typeName(item) });
    } else {
      items.push(parsed);
    }
  });
  return [items, null];
}

function checkItem<T extends JsonObject>(item: unknown, schema?: ItemSchema<T>): T | undefined {
  if (!isObject(item)) return undefined;
  if (!schema) return item as T;
  const result = schema.safeParse(item);
  return result.success ? result.data : undefined;
}

/**
 * Checks that a backend response holds one object.
 *
 * @param response - What the backend client returned.
 * @param context - What was fetched, e.g. `"task"`.
 * @param options - Optional schema and logger.
 * @returns `[object, null]`, or `[null, message]`.
 */
export function validateObjectResponse<T extends JsonObject = JsonObject>(
  response: BackendResponse,
  context: string,
  options: ValidationOptions<T> = {},
): ValidationResult<T | null> {
  const logger = options.logger ?? defaultLogger;
  if (!response.success) return [null, failed(response, context, logger)];
  const data = response.data;
  if (data === null || data === undefined)
    return [null, `No ${context} data returned from backend`];
  if (!isObject(data)) {
    logger.error({ event: 'backend_response_invalid', context, got: typeName(data) });
    return [
      null,
      `Backend returned invalid ${context} format: expected object, got ${typeName(data)}`,
    ];
  }
  const parsed = checkItem(data, options.schema);
  if (parsed === undefined) {
    logger.error({ event: 'backend_response_invalid', context, reason: 'schema' });
    return [null, `Backend returned invalid ${context} format`];
  }
  return [parsed, null];
}

/**
 * {@link validateListResponse} for tools: the list, or a {@link jsonError} string to return.
 *
 * @returns The items, or a JSON error string.
 */
export function requireList<T extends JsonObject = JsonObject>(
  response: BackendResponse,
  context: string,
  key?: string,
  options: ValidationOptions<T> = {},
): T[] | string {
  const [items, error] = validateListResponse(response, context, key, options);
  return error === null ? items : jsonError(error);
}

/**
 * {@link validateObjectResponse} for tools: the object, or a {@link jsonError} string to return.
 *
 * @returns The object, or a JSON error string.
 */
export function requireObject<T extends JsonObject = JsonObject>(
  response: BackendResponse,
  context: string,
  options: ValidationOptions<T> = {},
): T | string {
  const [object, error] = validateObjectResponse(response, context, options);
  return error === null ? (object as T) : jsonError(error);
}
