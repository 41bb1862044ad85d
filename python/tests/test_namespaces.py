"""Namespaces with Metaflow's meaning: runs carry `user:NAME` for whoever ran them, the default
namespace is the reader's own, `namespace(None)` sees every run."""
import os
import pwd

import pytest

from flowspec import (Flow, NamespaceMismatchError, Run, default_namespace, flows, get_namespace, namespace)
from flowspec_binary import REPO, flowspec_run, run_id

SPEC = REPO / "specs/valid/linear.yaml"


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    """One store, runs of one flow by ana (one tagged `best`) and bob, and a flow only bob ran."""
    store = tmp_path_factory.mktemp("namespaces") / "store"
    ana = run_id(flowspec_run(SPEC, store, env={"USER": "ana"}))
    best = run_id(flowspec_run(SPEC, store, "--tag", "best", env={"USER": "ana"}))
    bob = run_id(flowspec_run(SPEC, store, env={"USER": "bob", "LOGNAME": "ignored"}))
    only_bob = run_id(flowspec_run(REPO / "specs/valid/branch.yaml", store, env={"USER": "bob"}))
    return store, {"ana": ana, "best": best, "bob": bob, "only_bob": only_bob}


def flow_name(pathspec):
    return pathspec.split("/")[0]


def test_the_default_namespace_is_the_readers_own_user(shared, monkeypatch):
    store, runs = shared
    monkeypatch.setenv("USER", "ana")
    assert get_namespace() == "user:ana"
    flow = Flow(flow_name(runs["ana"]), store=store)
    assert [r.pathspec for r in flow.runs()] == [runs["best"], runs["ana"]]
    assert flow.latest_run.pathspec == runs["best"] and len(flow) == 2
    assert flows(store) == [flow.name]
    run = flow.latest_run
    assert run.user == "ana" and "user:ana" in run.system_tags and run.user_tags == {"best"}
    assert run.tags == run.system_tags | {"best"}


def test_another_users_runs_are_out_of_the_namespace_with_a_hint(shared, monkeypatch):
    store, runs = shared
    monkeypatch.setenv("USER", "ana")
    with pytest.raises(NamespaceMismatchError, match=r"no run in namespace 'user:ana' \(its runs are by bob\); "
                                                     r"namespace\(None\) sees every user's runs"):
        Flow(flow_name(runs["only_bob"]), store=store)
    with pytest.raises(NamespaceMismatchError, match=f"run {runs['bob']} is not in namespace 'user:ana'"):
        Run(runs["bob"], store=store)
    with pytest.raises(KeyError):  # a NamespaceMismatchError is a NotFoundError, a KeyError
        Flow(flow_name(runs["ana"]), store=store)[runs["bob"].split("/")[1]]


def test_namespace_none_sees_every_run_and_a_tag_narrows_it(shared, monkeypatch):
    store, runs = shared
    monkeypatch.setenv("USER", "ana")
    assert namespace(None) is None and get_namespace() is None
    flow = Flow(flow_name(runs["ana"]), store=store)
    assert [r.pathspec for r in flow.runs()] == [runs["bob"], runs["best"], runs["ana"]]
    assert [r.pathspec for r in flow.runs("best")] == [runs["best"]]
    assert [r.pathspec for r in flow.runs("user:bob")] == [runs["bob"]]
    assert flow.runs("best", "user:bob") == []
    assert Run(runs["bob"], store=store).user == "bob"
    assert sorted(flows(store)) == sorted({flow_name(p) for p in runs.values()})
    assert namespace("user:bob") == "user:bob"
    assert [r.pathspec for r in flow.runs()] == [runs["bob"]]
    assert namespace("best") == "best" and flow.latest_run.pathspec == runs["best"]
    assert default_namespace() == "user:ana" == get_namespace()
    with pytest.raises(TypeError, match="a namespace is a tag"):
        namespace(["user:ana"])


def test_without_user_or_logname_runs_record_the_uids_account_and_the_namespace_is_every_run(tmp_path, monkeypatch):
    store = tmp_path / "store"
    pathspec = run_id(flowspec_run(SPEC, store, env={"USER": None, "LOGNAME": None}))
    monkeypatch.delenv("USER", raising=False)
    monkeypatch.delenv("LOGNAME", raising=False)
    assert default_namespace() is None
    account = pwd.getpwuid(os.getuid()).pw_name
    run = Run(pathspec, store=store)
    assert run.user == account and f"user:{account}" in run.system_tags
    monkeypatch.setenv("LOGNAME", "dan")
    assert default_namespace() == "user:dan"
    with pytest.raises(NamespaceMismatchError, match=f"its runs are by {account}"):
        Flow(flow_name(pathspec), store=store)


def test_system_tags_the_run_records_are_told_from_user_tags(shared):
    store, runs = shared
    namespace("user:ana")
    run = Run(runs["best"], store=store)
    assert {tag.split(":")[0] for tag in run.system_tags} == {"user", "flowspec_version", "python_version"}
    assert "user:ana" in run.system_tags and "flowspec_version:0.1.0" in run.system_tags
    assert run.user_tags == {"best"} and run.tags == run.system_tags | {"best"}
    python = next(tag for tag in run.system_tags if tag.startswith("python_version:"))
    assert [r.id for r in Flow(flow_name(runs["best"]), store=store).runs(python, "best")] == [run.id]
