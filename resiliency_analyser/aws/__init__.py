"""Everything that talks to AWS: the session, bounded clients, account and region discovery."""
