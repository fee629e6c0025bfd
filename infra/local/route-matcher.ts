// Matches a request path against the route table's API Gateway templates (`/v1/customers/{customerId}`).
import type { HttpMethod, RouteDefinition } from '#api/routes.ts';

export interface CompiledRoute {
  route: RouteDefinition;
  pattern: RegExp;
  parameterNames: string[];
}

export type RouteMatch =
  | { kind: 'matched'; route: RouteDefinition; pathParameters: Record<string, string> }
  | { kind: 'method-not-allowed'; allowed: HttpMethod[] }
  | { kind: 'not-found' };

/** Literal segments win over parameters, as in API Gateway: fewer parameters are tried first. */
export function compileRoutes(routes: readonly RouteDefinition[]): CompiledRoute[] {
  const compiled = routes.map((route) => {
    const parameterNames: string[] = [];
    const source = route.path
      .split('/')
      .map((segment) => {
        const parameter = /^\{(\w+)\}$/.exec(segment);
        if (!parameter?.[1]) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        parameterNames.push(parameter[1]);
        return '([^/]+)';
      })
      .join('/');
    return { route, pattern: new RegExp(`^${source}/?$`), parameterNames };
  });
  return compiled.sort((a, b) => a.parameterNames.length - b.parameterNames.length);
}

export function matchRoute(compiled: readonly CompiledRoute[], method: string, path: string): RouteMatch {
  const allowed: HttpMethod[] = [];
  for (const candidate of compiled) {
    const match = candidate.pattern.exec(path);
    if (!match) continue;
    if (candidate.route.method !== method) {
      allowed.push(candidate.route.method);
      continue;
    }
    const pathParameters: Record<string, string> = {};
    candidate.parameterNames.forEach((name, index) => {
      const raw = match[index + 1] ?? '';
      try {
        pathParameters[name] = decodeURIComponent(raw);
      } catch {
        pathParameters[name] = raw;
      }
    });
    return { kind: 'matched', route: candidate.route, pathParameters };
  }
  return allowed.length > 0 ? { kind: 'method-not-allowed', allowed } : { kind: 'not-found' };
}
