// The reconciliation engine lives here (issue 3 §3).
public enum ReconciliationModule {}
