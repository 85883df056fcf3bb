"""One module per check: collection (``scan``) and a pure rule (``assess``) over API records."""
