"""The records that flow through the pipeline: findings, run-report rows, guidance. No AWS SDK."""
