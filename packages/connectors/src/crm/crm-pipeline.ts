/** One change of a tracked deal property (HubSpot propertiesWithHistory), with the value it replaced. */
export interface DealPropertyChange {
  dealId: string;
  property: 'dealstage' | 'amount' | 'closedate';
  /** The new value: a stage id, an amount, or a close date as YYYY-MM-DD; null when cleared. */
  value: string | null;
  /** The value before; null for the first value the deal had. */
  previous: string | null;
  /** ISO instant. */
  changedAt: string;
}

/** A deal pipeline stage and the probability the forecast weights it by. */
export interface DealStage {
  id: string;
  label: string;
  /** 0…1 (HubSpot stage metadata.probability). */
  probability: number;
  displayOrder: number;
}

/** A revenue goal for a period (HubSpot goal_targets): the quarter's new-bookings target. */
export interface RevenueGoal {
  id: string;
  name: string;
  target: number;
  /** YYYY-MM-DD, inclusive. */
  startsOn: string;
  /** YYYY-MM-DD, inclusive. */
  endsOn: string;
}

/** The deal properties whose history the pipeline jobs read. */
export const TRACKED_DEAL_PROPERTIES = ['dealstage', 'amount', 'closedate'] as const;
