"""Running a scan: the request and result types, the engine, collecting findings, interruption."""
