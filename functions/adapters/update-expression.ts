// The one way this service assembles an UpdateExpression: attributes and values always go through placeholders
// (`#u0`, `:u0`), so no attribute name can collide with a DynamoDB reserved word or with a condition's own
// placeholders, and the expression maps are omitted when empty (DynamoDB refuses empty maps).
import type { StoredItem } from './dynamodb-operations.ts';

export interface UpdateSpec {
  /** Attribute name -> new value; `undefined` values are skipped (so optional fields can be passed as they are). */
  set?: Readonly<Record<string, unknown>>;
  /** Attribute name -> amount to add; a missing attribute counts as 0. */
  increment?: Readonly<Record<string, number>>;
  /** Attribute name -> values appended to the list (created when missing). */
  append?: Readonly<Record<string, readonly unknown[]>>;
  /** Attribute name -> value set only when the attribute is missing. */
  setIfMissing?: Readonly<Record<string, unknown>>;
  remove?: readonly string[];
  /** Attribute name -> strings added to the string set (created when missing); an empty list is skipped. */
  addToSet?: Readonly<Record<string, readonly string[]>>;
  /** Attribute name -> strings deleted from the string set (a set left empty disappears); empty is skipped. */
  deleteFromSet?: Readonly<Record<string, readonly string[]>>;
}

/** Two independent changes to one item as one update (e.g. a header change and the event it records). */
export function mergeUpdates(first: UpdateSpec, second: UpdateSpec): UpdateSpec {
  return {
    set: { ...first.set, ...second.set },
    increment: { ...first.increment, ...second.increment },
    append: { ...first.append, ...second.append },
    setIfMissing: { ...first.setIfMissing, ...second.setIfMissing },
    remove: [...(first.remove ?? []), ...(second.remove ?? [])],
    addToSet: { ...first.addToSet, ...second.addToSet },
    deleteFromSet: { ...first.deleteFromSet, ...second.deleteFromSet },
  };
}

export interface ConditionSpec {
  expression: string;
  names?: Readonly<Record<string, string>>;
  values?: Readonly<StoredItem>;
}

export interface UpdateParameters {
  UpdateExpression: string;
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: StoredItem;
}

/** Throws a RangeError for an update that changes nothing: a caller bug, never a no-op write. */
export function updateParameters(update: UpdateSpec, condition?: ConditionSpec): UpdateParameters {
  const names: Record<string, string> = { ...condition?.names };
  const values: StoredItem = { ...condition?.values };
  let next = 0;
  const namePlaceholder = (attribute: string) => {
    const placeholder = `#u${next++}`;
    names[placeholder] = attribute;
    return placeholder;
  };
  const valuePlaceholder = (value: unknown) => {
    const placeholder = `:u${next++}`;
    values[placeholder] = value;
    return placeholder;
  };
  const sets: string[] = [];
  for (const [attribute, value] of Object.entries(update.set ?? {})) {
    if (value !== undefined) sets.push(`${namePlaceholder(attribute)} = ${valuePlaceholder(value)}`);
  }
  for (const [attribute, amount] of Object.entries(update.increment ?? {})) {
    const name = namePlaceholder(attribute);
    sets.push(`${name} = if_not_exists(${name}, ${valuePlaceholder(0)}) + ${valuePlaceholder(amount)}`);
  }
  for (const [attribute, list] of Object.entries(update.append ?? {})) {
    const name = namePlaceholder(attribute);
    sets.push(
      `${name} = list_append(if_not_exists(${name}, ${valuePlaceholder([])}), ${valuePlaceholder(list)})`,
    );
  }
  for (const [attribute, value] of Object.entries(update.setIfMissing ?? {})) {
    const name = namePlaceholder(attribute);
    sets.push(`${name} = if_not_exists(${name}, ${valuePlaceholder(value)})`);
  }
  const removes = (update.remove ?? []).map(namePlaceholder);
  // The document client writes a JavaScript Set of strings as a string set (SS).
  const setChanges = (changes: UpdateSpec['addToSet']) =>
    Object.entries(changes ?? {})
      .filter(([, members]) => members.length > 0)
      .map(([attribute, members]) => `${namePlaceholder(attribute)} ${valuePlaceholder(new Set(members))}`);
  const adds = setChanges(update.addToSet);
  const deletes = setChanges(update.deleteFromSet);
  if (sets.length + removes.length + adds.length + deletes.length === 0) {
    throw new RangeError('An update needs at least one change.');
  }
  const clauses = [
    sets.length > 0 ? `SET ${sets.join(', ')}` : '',
    removes.length > 0 ? `REMOVE ${removes.join(', ')}` : '',
    adds.length > 0 ? `ADD ${adds.join(', ')}` : '',
    deletes.length > 0 ? `DELETE ${deletes.join(', ')}` : '',
  ];
  return {
    UpdateExpression: clauses.filter(Boolean).join(' '),
    ...(condition ? { ConditionExpression: condition.expression } : {}),
    ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
    ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
  };
}
