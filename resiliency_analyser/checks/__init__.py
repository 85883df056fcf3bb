"""One module per check (collection and a pure rule), the check API, the registry, the catalogue."""
