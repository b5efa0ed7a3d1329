"""The generic engine, checked by hand on tiny cases (exact event order and times)."""

import simpy

from pathway_sim.engine.monitors import Level, Tally
from pathway_sim.engine.service import Service


def test_level_is_time_weighted_and_closes_the_last_interval():
    level = Level(0.0, 0.0)
    level.change(2.0, 1)  # 0 over [0,2)
    level.change(5.0, 2)  # 1 over [2,5)
    assert level.area(6.0) == 3 * 1 + 1 * 3  # 3 over [5,6) closed at now
    assert level.mean(6.0) == 1.0


def test_level_reset_keeps_the_value_and_forgets_history():
    level = Level(0.0, 0.0)
    level.change(1.0, 4)
    level.reset(3.0)
    assert level.value == 4
    assert level.mean(5.0) == 4.0


def test_tally_reset():
    tally = Tally()
    tally.record(1.0)
    tally.reset()
    tally.record(3.0)
    assert tally.values == [3.0]


def _visit(env, service, name, duration, log, post_index=None):
    post = yield from service.acquire(post_index)
    log.append((name, "start", env.now, post.index))
    yield env.timeout(duration)
    service.release(post)


def test_first_come_first_served_with_two_posts():
    env = simpy.Environment()
    service = Service(env, "clinic", staff=2)
    log = []
    for name, duration in [("a", 3), ("b", 1), ("c", 1), ("d", 1)]:
        env.process(_visit(env, service, name, duration, log))
    env.run()
    assert log == [
        ("a", "start", 0, 0),
        ("b", "start", 0, 1),
        ("c", "start", 1, 1),
        ("d", "start", 2, 1),
    ]
    stats = service.stats()
    assert stats.contacts == 4
    assert stats.wait_mean_days == (0 + 0 + 1 + 2) / 4
    assert stats.utilisation == (3 + 3) / (2 * 3)


def test_named_post_waits_for_that_worker_only():
    env = simpy.Environment()
    service = Service(env, "clinic", staff=2)
    log = []
    env.process(_visit(env, service, "a", 5, log, post_index=0))
    env.process(_visit(env, service, "b", 1, log, post_index=0))
    env.process(_visit(env, service, "c", 1, log))
    env.run()
    assert log == [("a", "start", 0, 0), ("c", "start", 0, 1), ("b", "start", 5, 0)]


def test_vacancy_removes_capacity_and_new_person_takes_the_post():
    env = simpy.Environment()
    service = Service(env, "clinic", staff=1)
    log = []
    post = service.posts[0]
    assert post.staff_id == "clinic:0.0"
    service.vacate(post, vacancy_days=4)
    env.process(_visit(env, service, "a", 1, log))
    env.run()
    assert log == [("a", "start", 4, 0)]
    assert post.staff_id == "clinic:0.1"
    assert service.stats().staff_mean == 4 * 0 / 5 + 1 * 1 / 5


def test_vacating_a_busy_post_waits_for_the_contact_to_end():
    env = simpy.Environment()
    service = Service(env, "clinic", staff=1)
    log = []
    env.process(_visit(env, service, "a", 2, log))
    env.process(_visit(env, service, "b", 1, log))
    env.run(until=1)
    service.vacate(service.posts[0], vacancy_days=3)
    env.run()
    assert log == [("a", "start", 0, 0), ("b", "start", 5, 0)]


def test_acquire_can_be_abandoned():
    env = simpy.Environment()
    service = Service(env, "clinic", staff=1)
    log = []
    give_up = env.event()

    def impatient():
        post = yield from service.acquire(abort=give_up)
        log.append(("gave up" if post is None else "served", env.now))

    env.process(_visit(env, service, "a", 5, log))
    env.process(impatient())
    env.run(until=2)
    give_up.succeed()
    env.run()
    assert log == [("a", "start", 0, 0), ("gave up", 2)]
    assert service.waiting.value == 0


def test_take_free_takes_an_idle_post_now_as_acquire_would():
    env = simpy.Environment()
    service = Service(env, "s", 2)
    first = service.take_free()
    named = service.take_free(1)
    assert (first.index, named.index) == (0, 1)  # type: ignore[union-attr]
    assert service.take_free() is None and service.take_free(0) is None
    assert service.busy.value == 2 and service.waits.values == [0.0, 0.0]
    service.release(named)  # type: ignore[arg-type]
    assert service.take_free(1) is named
