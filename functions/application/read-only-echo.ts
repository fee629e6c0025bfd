// The reference PATCH carries the transfer back as the client read it. Its identity fields cannot change: when a
// client sends them, they must name this transfer and its parties, or the request is refused (400) rather than
// silently applied to something the client did not mean.
import type { Transfer } from '#domain/model.ts';
import { ApiError } from '#shared/http/api-error.ts';

export type ReadOnlyEcho = Partial<
  Pick<Transfer, 'id' | 'customerTenantId' | 'sourcePartnerTenantId' | 'targetPartnerTenantId'>
>;

const ECHOED_FIELDS = ['id', 'customerTenantId', 'sourcePartnerTenantId', 'targetPartnerTenantId'] as const;

/** Checked after authorization, so a caller who may not see the transfer learns nothing from it. */
export function assertEchoMatches(
  transfer: Pick<Transfer, (typeof ECHOED_FIELDS)[number]>,
  echo: ReadOnlyEcho | undefined,
): void {
  if (!echo) return;
  const mismatches = ECHOED_FIELDS.filter((field) => {
    const sent = echo[field];
    return sent !== undefined && sent.toLowerCase() !== transfer[field].toLowerCase();
  });
  if (mismatches.length === 0) return;
  throw new ApiError(
    400,
    'ReadOnlyFieldMismatch',
    `The request body names another transfer or party than the one addressed (${mismatches.join(', ')}); these fields cannot be changed.`,
    mismatches.map((field) => ({
      field: `body.${field}`,
      code: 'ReadOnlyFieldMismatch',
      description: `must be ${transfer[field]} (read-only) or absent`,
    })),
  );
}
