// The payloads the state machine sends to the tasks (statemachines/transfer.asl.json), checked by hand, not by zod.
// Why: these payloads never come from outside. Our own ASL builds them from our own tasks' outputs, and the API
// validates with zod where input does enter. What a check here must still do is make a wrong ASL (a renamed or
// missing field, a wrong type) fail loudly, naming the field, before any write: InvalidTaskInput, never retried. A
// check per field does that for about 1 KiB; zod costs each task ~10 KiB of bundle beyond what its configuration
// already loads, and is what kept the tasks above 1.3x their SDK-only floor (issue #14). Like zod's objects, a
// parser answers only the fields it knows (anything else in the payload is dropped).

/** A payload that does not fit: `where` names the field (dotted path), or `payload` for the whole of it. */
export class TaskInputProblem extends Error {
  override readonly name = 'TaskInputProblem';
  constructor(
    readonly where: string,
    message: string,
  ) {
    super(message);
  }
}

/** Answers the typed input, or throws TaskInputProblem. */
export type TaskInputParser<Input> = (payload: unknown) => Input;

export type Fields = Readonly<Record<string, unknown>>;

const described = (value: unknown) =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : `${typeof value}`;

/** The payload (or a nested field) as an object. */
export function fieldsOf(value: unknown, where = 'payload'): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TaskInputProblem(where, `expected an object, received ${described(value)}`);
  }
  return value as Fields;
}

/** A string field of minLength..maxLength characters. */
export function stringField(fields: Fields, name: string, maxLength: number, minLength = 1, at = ''): string {
  const value = fields[name];
  if (typeof value !== 'string' || value.length < minLength || value.length > maxLength) {
    throw new TaskInputProblem(
      at + name,
      typeof value === 'string'
        ? `expected ${minLength} to ${maxLength} characters, received ${value.length}`
        : `expected a string, received ${described(value)}`,
    );
  }
  return value;
}

/** An optional string field: undefined or null (the ASL passes JSON null) reads as absent. */
export function optionalStringField(fields: Fields, name: string, maxLength: number): string | undefined {
  return fields[name] === undefined || fields[name] === null
    ? undefined
    : stringField(fields, name, maxLength, 0);
}

/** A safe integer field of at least `minimum`. */
export function integerField(fields: Fields, name: string, minimum: number, at = ''): number {
  const value = fields[name];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < minimum) {
    throw new TaskInputProblem(
      at + name,
      `expected an integer of at least ${minimum}, received ${typeof value === 'number' ? value : described(value)}`,
    );
  }
  return value;
}

/** One of the given strings. */
export function oneOf<const Values extends readonly string[]>(
  fields: Fields,
  name: string,
  values: Values,
): Values[number] {
  const value = fields[name];
  if (typeof value !== 'string' || !values.includes(value)) {
    throw new TaskInputProblem(name, `expected one of ${values.join(', ')}`);
  }
  return value;
}

const ID_LENGTH = 256;
const id = (fields: Fields, name: string, at = '') => stringField(fields, name, ID_LENGTH, 1, at);

export interface TransferTaskInput {
  customerId: string;
  transferId: string;
}

export const parseTransferTaskInput: TaskInputParser<TransferTaskInput> = (payload) => {
  const fields = fieldsOf(payload);
  return { customerId: id(fields, 'customerId'), transferId: id(fields, 'transferId') };
};

export interface LineItemTaskInput extends TransferTaskInput {
  lineItemId: string;
}

export const parseLineItemTaskInput: TaskInputParser<LineItemTaskInput> = (payload) => ({
  ...parseTransferTaskInput(payload),
  lineItemId: id(fieldsOf(payload), 'lineItemId'),
});

/** A move: the line item, and the header's facts StartMoving passed through the Map (absent in older executions). */
export interface MoveTaskInput extends LineItemTaskInput {
  move?: { fromTenantId: string; toTenantId: string; lineItemSet: number };
}

export const parseMoveTaskInput: TaskInputParser<MoveTaskInput> = (payload) => {
  const item = parseLineItemTaskInput(payload);
  const move = fieldsOf(payload).move;
  if (move === undefined) return item;
  const facts = fieldsOf(move, 'move');
  return {
    ...item,
    move: {
      fromTenantId: id(facts, 'fromTenantId', 'move.'),
      toTenantId: id(facts, 'toTenantId', 'move.'),
      lineItemSet: integerField(facts, 'lineItemSet', 0, 'move.'),
    },
  };
};
