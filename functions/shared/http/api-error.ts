// The one error shape every API response uses: { code, description, details }.

export interface ErrorDetail {
  /** Dotted path of the offending field, e.g. `body.lineItems.0.quantity`. */
  field?: string;
  code: string;
  description: string;
}

export interface ErrorBody {
  code: string;
  description: string;
  details: ErrorDetail[];
}

export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly statusCode: number,
    readonly code: string,
    readonly description: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(`${code}: ${description}`);
  }

  toBody(): ErrorBody {
    return { code: this.code, description: this.description, details: this.details };
  }
}

export const notFound = (what: string): ApiError => new ApiError(404, 'NotFound', `${what} was not found.`);
