"""Where findings go besides the local CSVs: an EventBridge bus while the scan runs, S3 after."""
