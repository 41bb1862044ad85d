"""A large bytes or bytearray artifact is stored without copies: the worker's peak memory stays
close to the value's own size (its repr and its pickle stream are never built whole)."""
import tracemalloc

import pytest

SIZE = 40 * 1024 * 1024


@pytest.mark.parametrize("kind", ["bytes", "bytearray"])
def test_storing_a_large_binary_value_needs_little_more_memory_than_the_value(worker, steps, kind):
    # Not printable: its full repr would be four times the value.
    source = steps(f"def make():\n    return {kind}(b'\\x00\\xff') * {SIZE // 2}\n")
    tracemalloc.start()
    try:
        response = worker.task(source, "make")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response["status"] == "ok", response
    record = response["outputs"]["out"]
    assert peak < 1.3 * SIZE, f"peak {peak / SIZE:.2f}x the value"
    assert record["type"] == f"builtins.{kind}"
    expected = "b'\\x00\\xff\\x00" if kind == "bytes" else "bytearray(b'\\x00\\xff\\x00"
    assert record["repr"].startswith(expected) and len(record["repr"]) <= 200, record["repr"]
    back = worker.value(record)
    assert type(back).__name__ == kind
    assert len(back) == SIZE and back[:4] == b"\x00\xff\x00\xff" and back[-1] == 0xFF
