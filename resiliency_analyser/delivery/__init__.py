"""Where findings go besides the local CSVs: an EventBridge bus while the scan runs; Security Hub
and S3 after."""
