"""A service: staff posts that contacts queue for, first come first served.

Each post is held by one person at a time. A contact may ask for any free post
or for one particular post (a named worker). When a person leaves, the post is
vacant for a while and then filled by a new person, which is how turnover breaks
continuity and shortages lengthen queues.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

import simpy

from pathway_sim.engine.monitors import Level, Tally


@dataclass(slots=True)
class Post:
    """One staff post of a service, and who holds it now (``staff_id`` names the person)."""

    service: str
    index: int
    person: int = 0
    leaving: bool = False
    vacancy_days: float = 0.0
    staff_id: str = ""

    def __post_init__(self) -> None:
        self.staff_id = f"{self.service}:{self.index}.{self.person}"

    def refill(self) -> None:
        """A new person takes the post."""
        self.person += 1
        self.leaving = False
        self.staff_id = f"{self.service}:{self.index}.{self.person}"


@dataclass(frozen=True, slots=True)
class ServiceStats:
    """A service's statistics over the measured period (after the warm-up)."""

    service: str
    contacts: int
    wait_mean_days: float
    wait_p95_days: float
    wait_max_days: float
    utilisation: float
    queue_mean: float
    staff_mean: float


class Service:
    """Staff posts that contacts queue for, first come first served.

    A request names a post (her named worker) or takes any free post. Each post
    has its own queue and there is one queue for "any post"; a freed post goes to
    whichever eligible request has waited longest. Every operation is O(1) in the
    queue length, unlike a filtered store that scans every waiting request.
    """

    def __init__(self, env: simpy.Environment, name: str, staff: int) -> None:
        if staff < 1:
            raise ValueError(f"service {name!r} needs at least one staff post, got {staff}")
        self.env = env
        self.name = name
        self.posts = [Post(name, i) for i in range(staff)]
        self._idle = [True] * staff
        self._any: deque[_Request] = deque()
        self._named: list[deque[_Request]] = [deque() for _ in range(staff)]
        self._arrivals = itertools.count()
        self.busy = Level(0.0, env.now)
        self.waiting = Level(0.0, env.now)
        self.filled = Level(float(staff), env.now)
        self.waits = Tally()

    def take_free(self, post_index: int | None = None) -> Post | None:
        """The post (any, or the given one) if it is free now, taken with no wait recorded
        as zero; else None. Most contacts find a post free: asking first spares them the
        generator that ``acquire`` is (the same statistics either way)."""
        post = self._take_idle(post_index)
        return None if post is None else self._taken(post, self.env.now)

    def acquire(
        self, post_index: int | None = None, abort: simpy.Event | None = None
    ) -> Generator[Any, Any, Post | None]:
        """Queue for a post (any, or the given one) and return it once it is free.

        Use as ``post = yield from service.acquire()``; the wait is recorded. If
        ``abort`` fires first the request is withdrawn and ``None`` returned.
        """
        arrived = self.env.now
        post = self._take_idle(post_index)
        if post is None:
            if abort is not None and abort.triggered:
                return None
            self.waiting.change(arrived, 1)
            request = _Request(next(self._arrivals), self.env.event())
            (self._any if post_index is None else self._named[post_index]).append(request)
            if abort is not None:
                abort.callbacks.append(lambda _: self._withdraw(request))
            post = yield request.granted
            self.waiting.change(self.env.now, -1)
            if post is None:
                return None
        return self._taken(post, arrived)

    def _taken(self, post: Post, arrived: float) -> Post:
        """Count ``post`` busy from now, and the wait of a request made at ``arrived``."""
        now = self.env.now
        self.busy.change(now, 1)
        self.waits.record(now - arrived)
        return post

    def withdraw_waiting_for(self, post_index: int) -> None:
        """Withdraw every request queued for this post, as if each one's abort had fired
        (each gets ``None``): the model sends those requests elsewhere."""
        queue = self._named[post_index]
        while queue:
            self._withdraw(queue.popleft())

    def _withdraw(self, request: _Request) -> None:
        if not request.granted.triggered:
            request.withdrawn = True
            request.granted.succeed(None)

    def release_after(self, post: Post, days: float) -> None:
        """Release the post once ``days`` of work are done, without the caller waiting."""
        self.env.timeout(days).callbacks.append(lambda _: self.release(post))

    def release(self, post: Post) -> None:
        """Hand the post back; a post whose holder is leaving becomes vacant instead."""
        self.busy.change(self.env.now, -1)
        if post.leaving:
            self.env.process(self._vacancy(post))
        else:
            self._hand_on(post)

    def vacate(self, post: Post, vacancy_days: float) -> None:
        """The post's holder leaves; after ``vacancy_days`` a new person fills it."""
        if post.leaving:
            return
        post.leaving = True
        post.vacancy_days = vacancy_days
        if self._idle[post.index]:
            self._idle[post.index] = False
            self.env.process(self._vacancy(post))

    def _take_idle(self, post_index: int | None) -> Post | None:
        if post_index is None:
            for index, idle in enumerate(self._idle):
                if idle:
                    self._idle[index] = False
                    return self.posts[index]
            return None
        if self._idle[post_index]:
            self._idle[post_index] = False
            return self.posts[post_index]
        return None

    def _hand_on(self, post: Post) -> None:
        """Give a free post to the longest-waiting request it can serve, or leave it idle."""
        named, anyone = self._named[post.index], self._any
        for queue in (named, anyone):
            while queue and queue[0].withdrawn:
                queue.popleft()
        if named and (not anyone or named[0].order < anyone[0].order):
            named.popleft().granted.succeed(post)
        elif anyone:
            anyone.popleft().granted.succeed(post)
        else:
            self._idle[post.index] = True

    def _vacancy(self, post: Post) -> Generator[Any, Any, None]:
        self.filled.change(self.env.now, -1)
        yield self.env.timeout(post.vacancy_days)
        post.refill()
        self.filled.change(self.env.now, 1)
        self._hand_on(post)

    def reset(self) -> None:
        """Start measuring afresh (end of warm-up)."""
        now = self.env.now
        for level in (self.busy, self.waiting, self.filled):
            level.reset(now)
        self.waits.reset()

    def stats(self) -> ServiceStats:
        """Statistics since the last reset, closing the open intervals at ``now``."""
        now = self.env.now
        staffed = self.filled.area(now)
        return ServiceStats(
            service=self.name,
            contacts=len(self.waits),
            wait_mean_days=self.waits.mean(),
            wait_p95_days=self.waits.quantile(0.95),
            wait_max_days=max(self.waits.values, default=float("nan")),
            utilisation=self.busy.area(now) / staffed if staffed > 0 else float("nan"),
            queue_mean=self.waiting.mean(now),
            staff_mean=self.filled.mean(now),
        )


@dataclass(slots=True)
class _Request:
    order: int
    granted: simpy.Event
    withdrawn: bool = False
