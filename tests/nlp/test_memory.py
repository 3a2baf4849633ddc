from __future__ import annotations

import gc
import weakref

import pytest

from nlp.memory import freeze_loaded_objects, release_free_memory

pytestmark = pytest.mark.unit


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


def _make_cycle() -> weakref.ref:
    a, b = _Node(), _Node()
    a.other, b.other = b, a
    return weakref.ref(a)


def test_release_free_memory_frees_reference_cycles() -> None:
    gc.disable()  # so that only the call under test can collect the cycle
    try:
        ref = _make_cycle()
        assert ref() is not None
        release_free_memory()
        assert ref() is None
    finally:
        gc.enable()


def test_frozen_objects_are_kept_out_of_later_collections() -> None:
    before = gc.get_freeze_count()
    kept = _Node()
    try:
        freeze_loaded_objects()
        assert gc.get_freeze_count() > before
        assert gc.is_tracked(kept)
        assert all(kept is not obj for obj in gc.get_objects())  # the collector no longer walks it
    finally:
        gc.unfreeze()
