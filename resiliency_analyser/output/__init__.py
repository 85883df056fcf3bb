"""Where findings and the run report go on disk: the CSVs as they stream, whole-run formats after."""
