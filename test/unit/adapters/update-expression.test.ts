import { describe, expect, it } from 'vitest';
import { updateParameters } from '#adapters/update-expression.ts';

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
