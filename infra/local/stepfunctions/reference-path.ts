// ASL Reference Paths (`$`, `$.a.b`, `$['a'][0]`): the restricted JSONPath that may only name a single node.
// Used to tell a Map state's item count for MapStateStarted; returns undefined when the path cannot be followed.

type PathSegment = string | number;

const SEGMENT = /^(?:\.([^.[\]]+)|\['((?:[^'\\]|\\.)*)'\]|\[(\d+)\])/;

function parseReferencePath(path: string): PathSegment[] | undefined {
  if (!path.startsWith('$') || path.startsWith('$$')) return undefined;
  const segments: PathSegment[] = [];
  let rest = path.slice(1);
  while (rest.length > 0) {
    const match = SEGMENT.exec(rest);
    if (!match) return undefined;
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(match[2].replace(/\\(.)/g, '$1'));
    else segments.push(Number(match[3]));
    rest = rest.slice(match[0].length);
  }
  return segments;
}

export function readReferencePath(path: string, document: unknown): unknown {
  const segments = parseReferencePath(path);
  if (!segments) return undefined;
  let node: unknown = document;
  for (const segment of segments) {
    if (typeof segment === 'number') {
      if (!Array.isArray(node)) return undefined;
      node = node[segment];
    } else {
      if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
      node = (node as Record<string, unknown>)[segment];
    }
  }
  return node;
}
