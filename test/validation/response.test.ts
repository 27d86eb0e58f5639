import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Logger, LogRecord } from '../../src/types.js';
import {
  jsonError,
  requireList,
  requireObject,
  validateListResponse,
  validateObjectResponse,
} from '../../src/validation/response.js';

function capture(): { logger: Logger; records: LogRecord[] } {
  const records: LogRecord[] = [];
  const push = (r: LogRecord) => {
    records.push(r);
  };
  return { logger: { debug: push, info: push, warn: push, error: push }, records };
}

const ok = (data: unknown) => ({ success: true, data });

describe('jsonError', () => {
  it('builds {"error": message}', () => {
    expect(JSON.parse(jsonError('Task not found'))).toEqual({ error: 'Task not found' });
    expect(JSON.parse(jsonError('quote " and \\ backslash'))).toEqual({
      error: 'quote " and \\ backslash',
    });
  });
});

describe('validateListResponse', () => {
  it('accepts a bare list of objects', () => {
    expect(validateListResponse(ok([{ id: 1 }, { id: 2 }]), 'task')).toEqual([
      [{ id: 1 }, { id: 2 }],
      null,
    ]);
  });

  it('unwraps by key, then context, then context + s', () => {
    const { logger } = capture();
    expect(validateListResponse(ok({ items: [{ a: 1 }] }), 'task', 'items', { logger })[0]).toEqual(
      [{ a: 1 }],
    );
    expect(
      validateListResponse(ok({ task: [{ b: 1 }] }), 'task', undefined, { logger })[0],
    ).toEqual([{ b: 1 }]);
    expect(
      validateListResponse(ok({ tasks: [{ c: 1 }] }), 'task', undefined, { logger })[0],
    ).toEqual([{ c: 1 }]);
    expect(
      validateListResponse(ok({ items: [{ k: 1 }], tasks: [{ c: 1 }] }), 'task', 'items')[0],
    ).toEqual([{ k: 1 }]);
  });

  it('does not unwrap inherited keys', () => {
    const { logger } = capture();
    const [items, error] = validateListResponse(ok({}), 'constructor', undefined, { logger });
    expect(items).toEqual([]);
    expect(error).toBe('Backend returned constructor in an unexpected format');
  });

  it('refuses a dict without the expected key, without echoing backend keys', () => {
    const { logger, records } = capture();
    const [items, error] = validateListResponse(
      ok({ secret_internal_field: [] }),
      'task',
      undefined,
      { logger },
    );
    expect(items).toEqual([]);
    expect(error).not.toContain('secret_internal_field');
    expect(JSON.stringify(records)).not.toContain('secret_internal_field');
  });

  it('refuses a non-list', () => {
    const { logger } = capture();
    expect(validateListResponse(ok('str'), 'task', undefined, { logger })).toEqual([
      [],
      'Backend returned invalid task format: expected list, got string',
    ]);
    expect(validateListResponse(ok({ tasks: 5 }), 'task', undefined, { logger })[1]).toBe(
      'Backend returned invalid task format: expected list, got number',
    );
  });

  it('treats no data as an empty list', () => {
    expect(validateListResponse({ success: true }, 'task')).toEqual([[], null]);
    expect(validateListResponse(ok(null), 'task')).toEqual([[], null]);
  });

  it('drops non-object items with a warning', () => {
    const { logger, records } = capture();
    const [items, error] = validateListResponse(
      ok([{ id: 1 }, 'x', null, [1], 3, { id: 2 }]),
      'task',
      undefined,
      { logger },
    );
    expect(items).toEqual([{ id: 1 }, { id: 2 }]);
    expect(error).toBeNull();
    expect(records.filter((r) => r.event === 'backend_item_skipped')).toHaveLength(4);
  });

  it('drops items failing the schema', () => {
    const { logger } = capture();
    const schema = z.object({ id: z.number() });
    const [items] = validateListResponse(ok([{ id: 1 }, { id: 'x' }]), 'task', undefined, {
      schema,
      logger,
    });
    expect(items).toEqual([{ id: 1 }]);
  });

  it('gives a generic message for a failed call and never echoes the backend error', () => {
    const { logger, records } = capture();
    const [items, error] = validateListResponse(
      { success: false, error: 'db password=hunter2 refused' },
      'task',
      undefined,
      { logger },
    );
    expect(items).toEqual([]);
    expect(error).toBe('Failed to fetch task');
    expect(JSON.stringify(records)).not.toContain('hunter2');
  });

  it('never throws and only returns objects (property)', () => {
    const { logger } = capture();
    fc.assert(
      fc.property(fc.boolean(), fc.jsonValue(), fc.string(), (success, data, context) => {
        const [items, error] = validateListResponse({ success, data }, context || 'x', undefined, {
          logger,
        });
        for (const item of items) {
          expect(typeof item === 'object' && item !== null && !Array.isArray(item)).toBe(true);
        }
        if (error !== null) expect(items).toEqual([]);
      }),
    );
  });
});

describe('validateObjectResponse', () => {
  it('accepts an object', () => {
    expect(validateObjectResponse(ok({ id: 1 }), 'task')).toEqual([{ id: 1 }, null]);
  });

  it('refuses missing data, non-objects and failed calls', () => {
    const { logger } = capture();
    expect(validateObjectResponse(ok(null), 'task', { logger })).toEqual([
      null,
      'No task data returned from backend',
    ]);
    expect(validateObjectResponse(ok([1]), 'task', { logger })).toEqual([
      null,
      'Backend returned invalid task format: expected object, got array',
    ]);
    expect(validateObjectResponse({ success: false }, 'task', { logger })).toEqual([
      null,
      'Failed to fetch task',
    ]);
  });

  it('applies the schema', () => {
    const { logger } = capture();
    const schema = z.object({ id: z.number() });
    expect(validateObjectResponse(ok({ id: 'x' }), 'task', { schema, logger })).toEqual([
      null,
      'Backend returned invalid task format',
    ]);
    expect(validateObjectResponse(ok({ id: 3 }), 'task', { schema, logger })).toEqual([
      { id: 3 },
      null,
    ]);
  });
});

describe('requireList / requireObject', () => {
  it('return the value or a JSON error string', () => {
    const { logger } = capture();
    expect(requireList(ok({ tasks: [{ id: 1 }] }), 'task')).toEqual([{ id: 1 }]);
    expect(JSON.parse(requireList(ok(7), 'task', undefined, { logger }) as string)).toEqual({
      error: 'Backend returned invalid task format: expected list, got number',
    });
    expect(requireObject(ok({ id: 1 }), 'task')).toEqual({ id: 1 });
    expect(JSON.parse(requireObject(ok(undefined), 'task', { logger }) as string)).toEqual({
      error: 'No task data returned from backend',
    });
  });
});
