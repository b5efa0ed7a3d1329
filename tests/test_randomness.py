"""Named streams: reproducible, independent of creation order, the replication's child."""

import numpy as np

from pathway_sim.core.randomness import Streams, Uniforms, stable_key


def test_stable_key_is_pinned():
    # pinned: results of saved runs depend on it, and Python's own hash() is salted per process
    assert stable_key("attendance") == 0x87269BF92464F810
    assert stable_key("attendance") != stable_key("durations")


def test_same_name_same_numbers_whatever_the_order():
    a = Streams(7, 3)
    first = a.get("attendance").random(5)
    b = Streams(7, 3)
    b.get("durations").random(100)  # another purpose drawn first
    assert np.array_equal(b.get("attendance").random(5), first)


def test_streams_differ_by_name_entity_replication_and_seed():
    draws = {
        "name": Streams(7, 3).get("x").random(),
        "other name": Streams(7, 3).get("y").random(),
        "entity": Streams(7, 3).get("x", 1).random(),
        "replication": Streams(7, 4).get("x").random(),
        "seed": Streams(8, 3).get("x").random(),
    }
    assert len(set(draws.values())) == len(draws)


def test_replication_is_the_seed_sequence_child():
    child = np.random.SeedSequence(11).spawn(4)[2]
    assert child.spawn_key == (2,)
    streams = Streams(11, 2)
    # the named stream extends the child's spawn key, so it is a descendant of the child
    expected = np.random.SeedSequence(child.entropy, spawn_key=(*child.spawn_key, stable_key("x")))
    assert np.array_equal(
        streams.get("x").random(3), np.random.Generator(np.random.PCG64(expected)).random(3)
    )


def test_generator_is_reused_not_restarted():
    streams = Streams(1, 0)
    assert streams.get("x").random() != streams.get("x").random()


def test_uniforms_in_blocks_are_the_draws_made_one_request_at_a_time():
    on_demand = Streams(3, 1).get("contacts", 7)
    blocks = Uniforms(Streams(3, 1).get("contacts", 7), block=8)
    sizes = [5, 1, 5, 5, 3, 1, 1, 5, 20, 5, 1]
    expected = [on_demand.random(n).tolist() if n > 1 else [on_demand.random()] for n in sizes]
    got = [blocks.take(n) if n > 1 else [blocks.one()] for n in sizes]
    assert got == expected


def test_streams_are_seeded_as_seed_sequence_spawn_keys():
    for seed, replication, name, keys in [
        (1, 0, "contacts", (0,)),
        (12345, 29, "training:midwifery", (3, 2)),
        (2**40 + 7, 2**33, "x", ()),
        (0, 1, "woman", (2**63 + 5,)),
    ]:
        root = np.random.SeedSequence(seed)
        expected = np.random.SeedSequence(
            root.entropy, spawn_key=(replication, stable_key(name), *keys)
        )
        got = Streams(seed, replication).get(name, *keys)
        assert np.array_equal(
            got.random(4), np.random.Generator(np.random.PCG64(expected)).random(4)
        )
