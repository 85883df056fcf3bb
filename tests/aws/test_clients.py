"""The client pool: closed, it refuses every use with a clear error and sends nothing."""

from __future__ import annotations

import asyncio

import aioboto3
import pytest

from resiliency_analyser.aws.clients import AwsClients, ClientsClosed
from resiliency_analyser.aws.settings import ClientSettings
from tests.support.faults import FaultProxy, Faults


def test_a_closed_pool_refuses_every_call(aws_env: str) -> None:
    async def run(proxy: FaultProxy) -> None:
        settings = ClientSettings(endpoint_url=proxy.url)
        async with AwsClients(aioboto3.Session(), settings) as clients:
            await clients.call("ec2", "us-east-1", "describe_subnets")
        with pytest.raises(
            ClientsClosed, match=r"^ec2 in us-east-1 asked of an AWS client pool already closed$"
        ):
            await clients.call("ec2", "us-east-1", "describe_subnets")
        with pytest.raises(ClientsClosed, match=r"^rds in eu-west-1 "):
            await clients.items("rds", "eu-west-1", "describe_db_instances", "DBInstances")

    with FaultProxy(aws_env) as proxy:
        asyncio.run(run(proxy))
    assert [(s.service, s.operation) for s in proxy.seen] == [("ec2", "DescribeSubnets")]


def test_a_request_waiting_for_its_turn_when_the_pool_closes_is_not_sent(aws_env: str) -> None:
    async def run(proxy: FaultProxy) -> None:
        settings = ClientSettings(endpoint_url=proxy.url, max_concurrency=1, max_attempts=1)
        clients = AwsClients(aioboto3.Session(), settings)
        hung = asyncio.create_task(clients.call("es", "us-east-1", "list_domain_names"))
        await asyncio.sleep(0.5)  # sent: it holds the only slot, and no answer comes
        waiting = asyncio.create_task(clients.call("ec2", "us-east-1", "describe_subnets"))
        await asyncio.sleep(0.5)
        await clients.close()
        await asyncio.wait([hung, waiting])
        assert hung.exception() is not None  # its connection closed with the pool
        assert isinstance(waiting.exception(), ClientsClosed)

    with FaultProxy(aws_env, Faults(hang=frozenset({"es"}))) as proxy:
        asyncio.run(run(proxy))
    assert [s.service for s in proxy.seen] == ["es"]
