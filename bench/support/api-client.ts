// A partner system's view of the API for the benchmarks: JSON over HTTP with a bearer token.

export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
  text: string;
}

export async function callApi<T = unknown>(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: body as T, text };
}

/** Throws with the response when the status is not the expected one. */
export async function expectStatus<T = unknown>(
  expected: number,
  response: Promise<ApiResponse<T>>,
  what: string,
): Promise<ApiResponse<T>> {
  const settled = await response;
  if (settled.status !== expected) {
    throw new Error(`${what}: expected ${expected}, got ${settled.status}: ${settled.text.slice(0, 500)}`);
  }
  return settled;
}
