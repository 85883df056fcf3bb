"""The CI gate: accepted risks (suppressions), a baseline, finding records, and the gate policy."""
