"""Where findings and the run report go: local CSV files and their names."""
