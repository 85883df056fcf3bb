"""Machinery the tests share: the moto server, the CLI runner, stand-ins, faults and seeding."""
