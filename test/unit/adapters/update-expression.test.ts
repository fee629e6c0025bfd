import { describe, expect, it } from 'vitest';
import { mergeUpdates, updateParameters } from '#adapters/update-expression.ts';

describe('updateParameters', () => {
  it('puts every attribute and value behind a placeholder, skipping undefined values', () => {
    expect(
      updateParameters({
        set: { status: 'Complete', completedTime: undefined, name: 'x' },
        remove: ['openTransferId'],
      }),
    ).toEqual({
      UpdateExpression: 'SET #u0 = :u1, #u2 = :u3 REMOVE #u4',
      ExpressionAttributeNames: { '#u0': 'status', '#u2': 'name', '#u4': 'openTransferId' },
      ExpressionAttributeValues: { ':u1': 'Complete', ':u3': 'x' },
    });
  });

  it('increments from zero when the attribute is missing', () => {
    expect(updateParameters({ increment: { attempts: 1 } })).toEqual({
      UpdateExpression: 'SET #u0 = if_not_exists(#u0, :u1) + :u2',
      ExpressionAttributeNames: { '#u0': 'attempts' },
      ExpressionAttributeValues: { ':u1': 0, ':u2': 1 },
    });
  });

  it('appends to a list that may not exist yet, and sets a value only where none is', () => {
    expect(
      updateParameters({ append: { pendingEvents: [{ type: 'x' }] }, setIfMissing: { since: 't' } }),
    ).toEqual({
      UpdateExpression: 'SET #u0 = list_append(if_not_exists(#u0, :u1), :u2), #u3 = if_not_exists(#u3, :u4)',
      ExpressionAttributeNames: { '#u0': 'pendingEvents', '#u3': 'since' },
      ExpressionAttributeValues: { ':u1': [], ':u2': [{ type: 'x' }], ':u4': 't' },
    });
  });

  it('merges two updates of one item into one', () => {
    expect(
      mergeUpdates(
        { set: { status: 'Canceled' }, increment: { version: 1 }, remove: ['GSI4PK'] },
        { increment: { eventCount: 1 }, append: { pendingEvents: [1] }, remove: ['other'] },
      ),
    ).toEqual({
      set: { status: 'Canceled' },
      increment: { version: 1, eventCount: 1 },
      append: { pendingEvents: [1] },
      setIfMissing: {},
      remove: ['GSI4PK', 'other'],
      addToSet: {},
      deleteFromSet: {},
    });
  });

  it('adds to and deletes from string sets, skipping empty ones (DynamoDB refuses an empty set)', () => {
    expect(
      updateParameters({
        set: { version: 2 },
        addToSet: { claimsInFlight: ['a'], unused: [] },
        deleteFromSet: { relayed: ['b', 'c'] },
      }),
    ).toEqual({
      UpdateExpression: 'SET #u0 = :u1 ADD #u2 :u3 DELETE #u4 :u5',
      ExpressionAttributeNames: { '#u0': 'version', '#u2': 'claimsInFlight', '#u4': 'relayed' },
      ExpressionAttributeValues: { ':u1': 2, ':u3': new Set(['a']), ':u5': new Set(['b', 'c']) },
    });
    expect(() => updateParameters({ deleteFromSet: { claimsInFlight: [] } })).toThrow(RangeError);
  });

  it("keeps the condition's own placeholders next to its own", () => {
    expect(
      updateParameters(
        { set: { status: 'Accepted' } },
        { expression: '#status = :from', names: { '#status': 'status' }, values: { ':from': 'Active' } },
      ),
    ).toEqual({
      UpdateExpression: 'SET #u0 = :u1',
      ConditionExpression: '#status = :from',
      ExpressionAttributeNames: { '#status': 'status', '#u0': 'status' },
      ExpressionAttributeValues: { ':from': 'Active', ':u1': 'Accepted' },
    });
  });

  it('omits the value map when only attributes are removed (DynamoDB refuses an empty map)', () => {
    expect(updateParameters({ remove: ['transferError'] })).toEqual({
      UpdateExpression: 'REMOVE #u0',
      ExpressionAttributeNames: { '#u0': 'transferError' },
    });
  });

  it('refuses an update that changes nothing', () => {
    expect(() => updateParameters({ set: { status: undefined } })).toThrow(RangeError);
  });
});
