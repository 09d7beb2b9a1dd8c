/**
 * Which accounts one run audits, and how it gets into them: an explicit list, or the active accounts
 * of the AWS Organization (with include and exclude lists); each read through STS AssumeRole of a
 * role of the same name in every account, with an optional ExternalId.
 */
import { z } from 'zod';

export const AccountIdSchema = z.string().regex(/^\d{12}$/, {
  error: (issue) => `${JSON.stringify(issue.input)} is not an AWS account id (12 digits)`,
});

/** An IAM role name (path-less), as in the member-role template. */
export const RoleNameSchema = z.string().regex(/^[\w+=,.@-]{1,64}$/, {
  error: (issue) => `${JSON.stringify(issue.input)} is not an IAM role name`,
});

/** STS's ExternalId constraints: 2 to 1224 characters of [\w+=,.@:/-]. */
export const ExternalIdSchema = z.string().regex(/^[\w+=,.@:/-]{2,1224}$/, {
  error: () => 'the ExternalId must be 2 to 1224 characters of letters, digits and +=,.@:/-_',
});

const common = {
  roleName: RoleNameSchema,
  externalId: ExternalIdSchema.optional(),
  /** Accounts collected side by side (each with its own region concurrency). */
  concurrency: z.number().int().min(1).max(64).default(4),
};

export const AccountTargetsSchema = z.discriminatedUnion('source', [
  z.strictObject({ source: z.literal('list'), accounts: z.array(AccountIdSchema).min(1), ...common }),
  z.strictObject({
    source: z.literal('organization'),
    /** Only these accounts (of the organization's active ones); empty for all. */
    include: z.array(AccountIdSchema).default([]),
    exclude: z.array(AccountIdSchema).default([]),
    ...common,
  }),
]);
export type AccountTargets = z.infer<typeof AccountTargetsSchema>;
