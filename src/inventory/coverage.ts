/** Coverage-gap vocabulary shared by collectors and rules. */

/** The error code of a call abandoned, or never started, because the collection time budget ran out. */
export const TIME_BUDGET_EXCEEDED = 'TimeBudgetExceeded';

/**
 * The error code of an informational note: DescribeSecurityGroupRules failed and the rules were read
 * from the groups' IpPermissions instead, complete but without their sgr- rule ids.
 */
export const FALLBACK_TO_IP_PERMISSIONS = 'FallbackToIpPermissions';

/**
 * The error code of an informational note: SageMaker `Search` was denied or is unavailable, and the
 * kind was read the old way instead (List, one Describe and one ListTags per resource): complete, at
 * two calls per resource instead of one per hundred.
 */
export const FALLBACK_TO_LIST_AND_DESCRIBE = 'FallbackToListAndDescribe';
