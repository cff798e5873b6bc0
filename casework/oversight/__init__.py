"""Looking across cases: the audit log and its exports, the register export, and the
consistency view of the trust's earlier outcomes on the same clauses."""
