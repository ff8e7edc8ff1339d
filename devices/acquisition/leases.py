"""Scale-out (DESIGN.md): several acquisition workers share the links, each meter has exactly
one poller. A worker polls a link while it holds the link's lease in Redis; a dead worker's
leases expire and another worker takes its links over."""

import os
import socket
from collections.abc import Iterable

from redis.asyncio import Redis

LEASE_MILLISECONDS = 5000  # a few beat ticks: a stopped worker's links move within 5 s
KEY_PREFIX = "webview:lease:"

# Take the lease if it is free, renew it if it is ours; one atomic step per link.
_ACQUIRE_OR_RENEW = """
local holder = redis.call('GET', KEYS[1])
if not holder then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
"""


def default_owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _key(link: tuple) -> str:
    return KEY_PREFIX + ":".join(str(part) for part in link)


class LinkLeases:
    def __init__(self, redis: Redis, owner: str | None = None) -> None:
        self.redis = redis
        self.owner = owner or default_owner()
        self._script = redis.register_script(_ACQUIRE_OR_RENEW)

    async def held(self, links: Iterable[tuple]) -> set[tuple]:
        """The links among ``links`` that this worker may poll now."""
        links = list(dict.fromkeys(links))
        if not links:
            return set()
        pipe = self.redis.pipeline(transaction=False)
        for link in links:
            await self._script(keys=[_key(link)], args=[self.owner, LEASE_MILLISECONDS], client=pipe)
        results = await pipe.execute()
        return {link for link, granted in zip(links, results) if granted}

    async def release(self, links: Iterable[tuple]) -> None:
        for link in links:
            key = _key(link)
            if (await self.redis.get(key)) == self.owner.encode():
                await self.redis.delete(key)
