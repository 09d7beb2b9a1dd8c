/** Coverage-gap vocabulary shared by collectors and rules. */

/** The error code of a call abandoned, or never started, because the collection time budget ran out. */
export const TIME_BUDGET_EXCEEDED = 'TimeBudgetExceeded';
