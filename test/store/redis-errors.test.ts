import { describe, expect, it } from 'vitest';
import { RedisStore } from '../../src/store/redis.js';
import { dataErrorKind } from '../../src/store/redis-commands.js';
import { captureLogger } from '../friction/_logger.js';

function replyError(message: string, name = 'ReplyError'): Error {
  const err = new Error(message);
  err.name = name;
  return err;
}

/** A client whose `get` fails with whatever `next` holds. */
function failingClient(next: { err: Error | undefined }) {
  const unused = () => Promise.reject(new Error('unused'));
  return {
    evalsha: unused,
    eval: unused,
    set: unused,
    del: unused,
    get: (_key: string) => (next.err ? Promise.reject(next.err) : Promise.resolve('v')),
  };
}

describe('Redis error classification (issue 20, class 3)', () => {
  it.each([
    ['WRONGTYPE Operation against a key holding the wrong kind of value', 'WRONGTYPE'],
    ['ERR user_script:12: Script attempted to access nonexistent global', 'ERR'],
    ['CORRUPT', 'CORRUPT'],
  ])('a reply about one key is a data error: %s', (message, kind) => {
    expect(dataErrorKind(replyError(message))).toBe(kind);
    expect(dataErrorKind(replyError(message, 'ErrorReply'))).toBe(kind);
  });

  it.each([
    replyError('LOADING Redis is loading the dataset in memory'),
    replyError('READONLY You cannot write against a read only replica.'),
    replyError('OOM command not allowed when used memory > maxmemory'),
    replyError('BUSY Redis is busy running a script.'),
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
    new Error('Connection is closed.'),
    'not an error',
  ])('a transport failure or a store-wide reply is not: %s', (err) => {
    expect(dataErrorKind(err)).toBeUndefined();
  });

  it('a data error fails the operation only; a store-wide reply marks the store down', async () => {
    const next: { err: Error | undefined } = { err: replyError('WRONGTYPE bad key') };
    const logger = captureLogger();
    const store = new RedisStore({ client: failingClient(next), retryIntervalMs: 60_000, logger });
    for (let i = 0; i < 3; i++) {
      await expect(store.get('k')).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
    }
    expect(store.unavailable).toBe(false);
    const dataLogs = logger.records.filter((r) => r.event === 'redis_store_data_error');
    expect(dataLogs).toEqual([
      expect.objectContaining({ level: 'warn', op: 'get', kind: 'WRONGTYPE', suppressed: 0 }),
    ]);
    next.err = undefined;
    expect(await store.get('k')).toBe('v');
    next.err = replyError('READONLY replica');
    await expect(store.get('k')).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
    expect(store.unavailable).toBe(true);
    next.err = undefined;
    await expect(store.get('k')).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
    expect(logger.records.map((r) => r.event)).toContain('redis_store_unavailable');
  });
});
