import os
import pickle

import pytest

from flowspec._runtime import blobs
from flowspec._runtime.failures import Failure
from flowspec._runtime.refs import Resolver


def test_an_item_read_through_a_path_is_read_from_disk_once(worker):
    ref = worker.blob([{"n": 1}, {"n": 2}])
    first = Resolver(worker.store).resolve({**ref, "path": [["index", 0]]})
    os.unlink(blobs.blob_path(worker.store, ref["blob"]))
    second = Resolver(worker.store).resolve({**ref, "path": [["index", 1]]})
    assert (first, second) == ({"n": 1}, {"n": 2})
    with pytest.raises(Failure, match="missing from the store"):
        Resolver(worker.store).resolve(ref)  # the whole value is always read afresh


def test_a_task_that_changes_its_item_does_not_change_what_the_next_one_reads(worker, steps):
    source = steps("def grab(item):\n    item['n'] += 100\n    item.setdefault('seen', []).append(1)\n    return item\n")
    ref = worker.blob([{"n": 1}, {"n": 2}])
    for _ in range(2):
        response = worker.task(source, "grab", bound={"item": {**ref, "path": [["index", 0]]}})
        assert response["status"] == "ok", response
        assert worker.value(response["outputs"]["out"]) == {"n": 101, "seen": [1]}


def test_immutable_items_are_handed_out_as_they_are(worker):
    ref = worker.blob([("a", [1]), "text", 7])
    resolver = Resolver(worker.store)
    assert resolver.resolve({**ref, "path": [["index", 1]]}) == "text"
    pair = resolver.resolve({**ref, "path": [["index", 0]]})
    pair[1].append(2)
    assert Resolver(worker.store).resolve({**ref, "path": [["index", 0]]}) == ("a", [1])


def test_inputs_of_static_branches_are_a_list_and_named_by_their_last_steps(tmp_path):
    inputs = Resolver(str(tmp_path)).resolve({
        "namespaces": [{"x": {"literal": 1}}, {"x": {"literal": 2}}], "steps": ["a", "count"]})
    assert [branch.x for branch in inputs] == [1, 2] and len(inputs) == 2 and inputs[1].x == 2
    assert inputs.a.x == 1
    assert inputs.count.x == 2, "a step's name wins over the list method it shadows"
    with pytest.raises(AttributeError, match="no branch ended at step 'c'; the branches ended at: a, count"):
        inputs.c
    restored = pickle.loads(pickle.dumps(inputs))
    assert type(restored) is list and restored[0].x == 1


def test_inputs_of_a_foreach_have_no_names(tmp_path):
    inputs = Resolver(str(tmp_path)).resolve({"namespaces": [{"y": {"literal": 3}}]})
    assert inputs[0].y == 3
    with pytest.raises(AttributeError, match=r"index them \(inputs\[0\]\)"):
        inputs.each
