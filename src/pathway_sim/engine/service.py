"""A service: staff posts that contacts queue for, first come first served.

Each post is held by one person at a time. A contact may ask for any free post
or for one particular post (a named worker). When a person leaves, the post is
vacant for a while and then filled by a new person, which is how turnover breaks
continuity and shortages lengthen queues.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any

import simpy

from pathway_sim.engine.monitors import Level, Tally


@dataclass(slots=True)
class Post:
    """One staff post of a service, and who holds it now."""

    service: str
    index: int
    person: int = 0
    leaving: bool = False
    vacancy_days: float = 0.0

    @property
    def staff_id(self) -> str:
        return f"{self.service}:{self.index}.{self.person}"


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
    """Staff posts as a simpy store of idle posts, with time-weighted monitors."""

    def __init__(self, env: simpy.Environment, name: str, staff: int) -> None:
        if staff < 1:
            raise ValueError(f"service {name!r} needs at least one staff post, got {staff}")
        self.env = env
        self.name = name
        self.posts = [Post(name, i) for i in range(staff)]
        self._idle = simpy.FilterStore(env, capacity=staff)
        self._idle.items.extend(self.posts)
        self.busy = Level(0.0, env.now)
        self.waiting = Level(0.0, env.now)
        self.filled = Level(float(staff), env.now)
        self.waits = Tally()

    def acquire(
        self, post_index: int | None = None, abort: simpy.Event | None = None
    ) -> Generator[Any, Any, Post | None]:
        """Queue for a post (any, or the given one) and return it once it is free.

        Use as ``post = yield from service.acquire()``; the wait is recorded. If
        ``abort`` fires first the request is withdrawn and ``None`` returned.
        """
        arrived = self.env.now
        self.waiting.change(arrived, 1)
        if post_index is None:
            request = self._idle.get()
        else:
            request = self._idle.get(_post_filter(post_index))
        if abort is None:
            post = yield request
        else:
            yield request | abort
            if not request.triggered:
                request.cancel()
                self.waiting.change(self.env.now, -1)
                return None
            post = request.value
        now = self.env.now
        self.waiting.change(now, -1)
        self.busy.change(now, 1)
        self.waits.record(now - arrived)
        return post

    def release(self, post: Post) -> None:
        """Hand the post back; a post whose holder is leaving becomes vacant instead."""
        self.busy.change(self.env.now, -1)
        if post.leaving:
            self.env.process(self._vacancy(post))
        else:
            self._idle.put(post)

    def vacate(self, post: Post, vacancy_days: float) -> None:
        """The post's holder leaves; after ``vacancy_days`` a new person fills it."""
        if post.leaving:
            return
        post.leaving = True
        post.vacancy_days = vacancy_days
        if post in self._idle.items:
            self._idle.items.remove(post)
            self.env.process(self._vacancy(post))

    def _vacancy(self, post: Post) -> Generator[Any, Any, None]:
        self.filled.change(self.env.now, -1)
        yield self.env.timeout(post.vacancy_days)
        post.person += 1
        post.leaving = False
        self.filled.change(self.env.now, 1)
        self._idle.put(post)

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


def _post_filter(index: int) -> Callable[[Post], bool]:
    return lambda post: post.index == index
