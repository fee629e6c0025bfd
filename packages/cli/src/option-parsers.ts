// Commander argument parsers: a bad value is a usage error naming the option, before any API call.
import { InvalidArgumentError } from 'commander';

export function positiveInteger(value: string): number {
  if (!/^[0-9]+$/.test(value) || Number(value) < 1)
    throw new InvalidArgumentError('must be a whole number from 1');
  return Number(value);
}

/** For repeatable options: `--subscription a --subscription b,c` collects a, b, c. */
export function collect(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean),
  ];
}
