"""The second story pass: a piece left alone joins the story it agrees with, a hard negative does not."""

from __future__ import annotations

from ainews.analyze.attach import attach_small

CORE = {"org:xAI", "nnp:그록"}


def test_singleton_joins_the_story_sharing_its_entities_and_day() -> None:
    groups = [[0, 1, 2], [3]]
    sims = {(0, 1): 0.4, (0, 2): 0.4, (1, 2): 0.4, (0, 3): 0.16, (1, 3): 0.12, (2, 3): 0.09}
    core = {i: set(CORE) for i in range(4)}
    hours = {0: 0.0, 1: 5.0, 2: 10.0, 3: 20.0}
    assert sorted(map(sorted, attach_small(groups, sims, core, hours, 72.0))) == [[0, 1, 2, 3]]


def test_other_entities_other_day_or_weak_links_stay_apart() -> None:
    groups = [[0, 1, 2], [3]]
    sims = {(0, 1): 0.4, (0, 2): 0.4, (1, 2): 0.4, (0, 3): 0.16, (1, 3): 0.12, (2, 3): 0.09}
    hours = {0: 0.0, 1: 5.0, 2: 10.0, 3: 20.0}
    other = {0: set(CORE), 1: set(CORE), 2: set(CORE), 3: {"org:xAI", "nnp:스타링크"}}
    assert len(attach_small(groups, sims, other, hours, 72.0)) == 2
    late = {**hours, 3: 300.0}
    assert len(attach_small(groups, sims, {i: set(CORE) for i in range(4)}, late, 72.0)) == 2
    weak = {**sims, (0, 3): 0.05, (1, 3): 0.05, (2, 3): 0.05}
    assert len(attach_small(groups, weak, {i: set(CORE) for i in range(4)}, hours, 72.0)) == 2


def test_a_dated_piece_never_joins_an_undated_story() -> None:
    groups = [[0, 1, 2], [3]]
    sims = {(0, 1): 0.4, (0, 2): 0.4, (1, 2): 0.4, (0, 3): 0.3, (1, 3): 0.3, (2, 3): 0.3}
    assert len(attach_small(groups, sims, {i: set(CORE) for i in range(4)}, {3: 0.0}, 72.0)) == 2


def test_agreement_on_more_core_entities_lets_a_weaker_piece_join() -> None:
    """Among many same-window articles the IDF falls and a second outlet's copy links at 0.12–0.14;
    when it shares four of the story's core entities (not just the two required) it still joins."""
    groups = [[0, 1, 2], [3]]
    sims = {(0, 1): 0.4, (0, 2): 0.4, (1, 2): 0.4, (0, 3): 0.14, (1, 3): 0.12, (2, 3): 0.09}
    hours = {0: 0.0, 1: 5.0, 2: 10.0, 3: 20.0}
    rich = {"org:삼성전자", "org:엔비디아", "nnp:삼성전자", "nnp:엔비디아"}
    assert sorted(map(sorted, attach_small(groups, sims, {i: set(rich) for i in range(4)}, hours, 72.0))) == [
        [0, 1, 2, 3]]  # main kept 3 apart: its closest link (0.14) is under ATTACH_MAX (0.15)
    two = {i: set(CORE) for i in range(4)}  # only the required two entities: no bonus, stays apart
    assert len(attach_small(groups, sims, two, hours, 72.0)) == 2
