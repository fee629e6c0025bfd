// The task wrapper names failures the way the ASL's Retry/Catch expect them.
import { describe, expect, it } from 'vitest';
import { ConditionFailedError, StorageUnavailableError } from '#application/storage-errors.ts';
import { acceptanceTimeoutSeconds, MAX_ACCEPTANCE_WAIT_SECONDS } from '#workflow/load-transfer.ts';
import { failureDescription } from '#workflow/record-line-item-failure.ts';
import { defineWorkflowTask, onceFor } from '#workflow/task-handler.ts';
import { parseMoveTaskInput, parseTransferTaskInput } from '#workflow/task-inputs.ts';

const failingWith = (error: unknown) =>
  defineWorkflowTask('probe', parseTransferTaskInput, async () => {
    throw error;
  });
const keys = { customerId: 'c', transferId: 't' };

describe('defineWorkflowTask', () => {
  it('turns a storage outage into TransientStorageError, which the ASL retries', async () => {
    await expect(failingWith(new StorageUnavailableError('throttled'))(keys)).rejects.toMatchObject({
      name: 'TransientStorageError',
      message: 'throttled',
    });
  });

  it('keeps every other error as it is', async () => {
    const refused = new ConditionFailedError();
    await expect(failingWith(refused)(keys)).rejects.toBe(refused);
    const named = Object.assign(new Error('moved on'), { name: 'TransferNoLongerActive' });
    await expect(failingWith(named)(keys)).rejects.toBe(named);
  });

  it('refuses a payload that does not fit with InvalidTaskInput, naming the field', async () => {
    const task = defineWorkflowTask('probe', parseTransferTaskInput, async (input) => input.transferId);
    await expect(task({ customerId: 'c' })).rejects.toMatchObject({
      name: 'InvalidTaskInput',
      message: expect.stringContaining('transferId'),
    });
    expect(await task(keys)).toBe('t');
  });

  it('names the nested field, the type and the bounds of what does not fit', async () => {
    const task = defineWorkflowTask('probe', parseMoveTaskInput, async (input) => input);
    const item = { ...keys, lineItemId: 'l' };
    const refusal = (payload: unknown) =>
      task(payload).then(
        () => 'accepted',
        (error: Error) => error.message,
      );
    expect(await refusal('x')).toBe('probe: payload: expected an object, received string');
    expect(await refusal({ ...item, customerId: 7 })).toBe(
      'probe: customerId: expected a string, received number',
    );
    expect(await refusal({ ...item, lineItemId: '' })).toBe(
      'probe: lineItemId: expected 1 to 256 characters, received 0',
    );
    expect(await refusal({ ...item, move: { fromTenantId: 'a', toTenantId: 'b', lineItemSet: 1.5 } })).toBe(
      'probe: move.lineItemSet: expected an integer of at least 0, received 1.5',
    );
    expect(await refusal({ ...item, move: { fromTenantId: 'a', lineItemSet: 1 } })).toBe(
      'probe: move.toTenantId: expected a string, received undefined',
    );
  });

  it('answers only the fields it knows, like a zod object', async () => {
    const task = defineWorkflowTask('probe', parseMoveTaskInput, async (input) => input);
    const move = { fromTenantId: 'a', toTenantId: 'b', lineItemSet: 0 };
    expect(await task({ ...keys, lineItemId: 'l', extra: 1, move: { ...move, more: 2 } })).toEqual({
      ...keys,
      lineItemId: 'l',
      move,
    });
    expect(await task({ ...keys, lineItemId: 'l' })).toEqual({ ...keys, lineItemId: 'l' });
  });
});

describe('onceFor', () => {
  it('creates once per value of the named variables', () => {
    let created = 0;
    const get = onceFor(['ONCE_FOR_PROBE'], () => ++created);
    process.env.ONCE_FOR_PROBE = 'a';
    expect([get(), get()]).toEqual([1, 1]);
    process.env.ONCE_FOR_PROBE = 'b';
    expect(get()).toBe(2);
    delete process.env.ONCE_FOR_PROBE;
  });
});

describe('the acceptance wait timeout', () => {
  const now = new Date('2030-01-01T00:00:00.000Z');
  it('is the time left until expirationTime, rounded up, at least 1 s and at most 14 days', () => {
    expect(acceptanceTimeoutSeconds('2030-01-01T00:00:10.001Z', now)).toBe(11);
    expect(acceptanceTimeoutSeconds('2029-12-31T00:00:00.000Z', now)).toBe(1);
    expect(acceptanceTimeoutSeconds('2030-01-01T00:00:00.000Z', now)).toBe(1);
    expect(acceptanceTimeoutSeconds('2030-01-31T00:00:00.000Z', now)).toBe(MAX_ACCEPTANCE_WAIT_SECONDS);
    expect(acceptanceTimeoutSeconds('not a time', now)).toBe(1);
  });
});

describe('the failure recorded on a line item', () => {
  it('is the Lambda error message from the Cause', () => {
    const cause = JSON.stringify({
      errorType: 'PermanentMoveError',
      errorMessage: 'Subscription x is gone.',
      trace: [],
    });
    expect(failureDescription('PermanentMoveError', cause)).toBe('Subscription x is gone.');
    expect(failureDescription('States.Timeout', 'Task timed out')).toBe('Task timed out');
    expect(failureDescription('TransientMoveError', null)).toBe('The move failed (TransientMoveError).');
    expect(failureDescription(undefined, 'x'.repeat(5000))).toHaveLength(1024);
  });
});
