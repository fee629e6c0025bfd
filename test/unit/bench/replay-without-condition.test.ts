// The workflow benchmark's replay floor sends recorded writes without their conditions; DynamoDB refuses a request
// with names or values no expression uses, so those must go with the condition, and only those.
import { describe, expect, it } from 'vitest';
import { withoutCondition } from '../../../bench/support/aws-call-replay.ts';

describe('withoutCondition', () => {
  it("drops the condition and the names and values only it used, keeping the update's", () => {
    const replayed = withoutCondition({
      TableName: 't',
      Key: { PK: { S: 'a' } },
      UpdateExpression: 'SET #status = :s, #st = :st ADD attempts :one',
      ConditionExpression: '#status IN (:p, :ip) AND #s2 = :s2',
      ExpressionAttributeNames: { '#status': 'status', '#st': 'stage', '#s2': 'set' },
      ExpressionAttributeValues: {
        ':s': { S: 'InProgress' },
        ':st': { S: 'x' },
        ':one': { N: '1' },
        ':p': { S: 'Pending' },
        ':ip': { S: 'InProgress' },
        ':s2': { N: '3' },
      },
    });
    expect(replayed).toEqual({
      TableName: 't',
      Key: { PK: { S: 'a' } },
      UpdateExpression: 'SET #status = :s, #st = :st ADD attempts :one',
      ExpressionAttributeNames: { '#status': 'status', '#st': 'stage' },
      ExpressionAttributeValues: { ':s': { S: 'InProgress' }, ':st': { S: 'x' }, ':one': { N: '1' } },
    });
  });

  it('leaves a request without a condition as it is, and drops empty maps', () => {
    const plain = { TableName: 't', Key: { PK: { S: 'a' } } };
    expect(withoutCondition(plain)).toBe(plain);
    expect(
      withoutCondition({
        TableName: 't',
        ConditionExpression: 'attribute_not_exists(PK) AND #v = :v',
        ExpressionAttributeNames: { '#v': 'version' },
        ExpressionAttributeValues: { ':v': { N: '1' } },
      }),
    ).toEqual({ TableName: 't' });
  });
});
