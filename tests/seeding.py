"""Cheap seeding for tests that need many findings: RDS instances are quick for moto to create."""

from __future__ import annotations

from tests.conftest import Boto


def seed_rds_instances(boto: Boto, count: int, *, multi_az_every: int = 0) -> None:
    """``db-0000``… in us-east-1; every ``multi_az_every``-th one (from the first) is Multi-AZ."""
    rds = boto("rds", "us-east-1")
    for i in range(count):
        rds.create_db_instance(
            DBInstanceIdentifier=f"db-{i:04d}",
            Engine="mysql",
            DBInstanceClass="db.t3.micro",
            MasterUsername="admin",
            MasterUserPassword="test-password-1",
            AllocatedStorage=20,
            MultiAZ=bool(multi_az_every) and i % multi_az_every == 0,
        )
