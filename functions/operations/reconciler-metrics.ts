// The reconciler's metrics, named once: the handler emits them (through the service's one Metrics instance, in its
// namespace and with its service dimension) and the CDK stack alarms on them. Plain constants, so the CDK app can
// import them without Powertools.

export const RECONCILER_METRICS = {
  /** Transfers the reconciler repaired in a run: each one means status and workflow had disagreed. */
  transfersRepaired: 'ReconcilerTransfersRepaired',
  /** Transfers it found stuck and could not (or must not) repair: an operator has to look. */
  transfersUnrepairable: 'ReconcilerTransfersUnrepairable',
  /** Open transfers it checked. */
  transfersChecked: 'ReconcilerTransfersChecked',
} as const;
