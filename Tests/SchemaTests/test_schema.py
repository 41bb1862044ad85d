"""The JSON Schema of the spec format (specs/flowspec.schema.json) against the example corpus.

Run: python3 -m pytest Tests/SchemaTests -q
"""

import copy
import json
import pathlib
import re

import jsonschema
import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCHEMA_PATH = ROOT / "specs" / "flowspec.schema.json"
VALID_DIR = ROOT / "specs" / "valid"
VALID_SPECS = sorted(
    p for p in VALID_DIR.iterdir() if p.suffix in (".yaml", ".yml", ".json")
)


class Yaml12Loader(yaml.SafeLoader):
    """PyYAML's safe loader with YAML 1.2 core booleans, as flowspec reads YAML.

    PyYAML follows YAML 1.1, where `on`, `off`, `yes` and `no` are booleans; flowspec does not,
    and `switch: {on: ...}` depends on `on` staying a string.
    """


Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


def load_spec(path):
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        return json.loads(text)
    return yaml.load(text, Loader=Yaml12Loader)


@pytest.fixture(scope="module")
def schema():
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator(schema):
    return jsonschema.Draft202012Validator(schema)


def errors(validator, instance):
    return sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))


def describe(errs):
    return "\n".join(f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in errs)


# -- the schema itself ------------------------------------------------------------------------------

def test_schema_is_valid_draft_2020_12(schema):
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == "https://flowspec.dev/schema/flowspec-1.json"
    assert schema["title"]


def test_every_property_has_a_description(schema):
    missing = []

    def walk(node, where):
        if isinstance(node, dict):
            for name, sub in (node.get("properties") or {}).items():
                if "description" not in sub:
                    missing.append(f"{where}/properties/{name}")
            for key, sub in node.items():
                walk(sub, f"{where}/{key}")
        elif isinstance(node, list):
            for i, sub in enumerate(node):
                walk(sub, f"{where}/{i}")

    walk(schema, "#")
    # Properties inside if/then conditions only restate types; everything else needs a description.
    missing = [m for m in missing if "/if/" not in m and "/then/" not in m]
    assert not missing, missing


def test_defaults_allow_exactly_the_step_settings(schema):
    step_keys = set(schema["$defs"]["step"]["properties"])
    default_keys = set(schema["$defs"]["defaults"]["properties"])
    assert step_keys - default_keys == {
        "run", "args", "with", "outputs", "next", "switch", "foreach", "join", "report"}
    assert default_keys < step_keys


# -- the corpus -------------------------------------------------------------------------------------

def test_corpus_is_not_empty():
    names = {p.name for p in VALID_SPECS}
    for expected in ("linear.yaml", "linear.json", "branch.yaml", "foreach.yaml", "switch.yaml",
                     "movies.yaml", "full.yaml", "single_step.yaml"):
        assert expected in names


@pytest.mark.parametrize("path", VALID_SPECS, ids=lambda p: p.name)
def test_valid_spec_matches_schema(validator, path):
    spec = load_spec(path)
    errs = errors(validator, spec)
    assert not errs, f"{path.name}:\n{describe(errs)}"


@pytest.mark.parametrize("path", [p for p in VALID_SPECS if p.suffix != ".json"], ids=lambda p: p.name)
def test_valid_spec_reads_the_same_in_yaml_1_1(path):
    """No YAML-1.1-only scalars (yes/no/on/off as values, 012, 1_000) apart from the `on` key of a switch."""
    spec_12 = load_spec(path)
    spec_11 = yaml.safe_load(path.read_text(encoding="utf-8"))
    for step in (spec_11.get("steps") or {}).values():
        if isinstance(step, dict) and isinstance(step.get("switch"), dict) and True in step["switch"]:
            step["switch"]["on"] = step["switch"].pop(True)
    assert spec_11 == spec_12


@pytest.mark.parametrize("path", VALID_SPECS, ids=lambda p: p.name)
def test_valid_spec_names_existing_callables(path):
    """Every `run` names a Python file next to the spec (or a module under its import path)."""
    spec = load_spec(path)
    roots = [path.parent / p for p in (spec.get("python") or {}).get("path", [])]
    for name, step in spec["steps"].items():
        if "run" not in step:
            continue
        source, function = step["run"].rsplit(":", 1)
        if source.endswith((".py", ".ipynb")):
            file = path.parent / source
        else:
            candidates = [root / (source.replace(".", "/") + ".py") for root in roots]
            file = next((c for c in candidates if c.exists()), candidates[0] if candidates else None)
        assert file is not None and file.exists(), f"{path.name}: step {name}: no {source}"
        assert re.search(rf"^def {function}\(", file.read_text(encoding="utf-8"), re.M), (
            f"{path.name}: step {name}: {source} defines no function {function}")


def test_movies_is_the_spec_example_verbatim():
    spec_md = ROOT / "docs" / "spec.md"
    example = re.search(r"```yaml\n(flowspec: 1.*?)```", spec_md.read_text(encoding="utf-8"), re.S).group(1)
    assert (VALID_DIR / "movies.yaml").read_text(encoding="utf-8") == example


# -- what the schema rejects ------------------------------------------------------------------------

BASE = {
    "flowspec": 1,
    "name": "Tiny",
    "steps": {
        "start": {"run": "steps.py:load", "outputs": "rows", "next": "end"},
        "end": {"run": "steps.py:report"},
    },
}


def with_change(change):
    spec = copy.deepcopy(BASE)
    change(spec)
    return spec


def switch_instead_of_next(switch):
    def change(spec):
        del spec["steps"]["start"]["next"]
        spec["steps"]["start"]["switch"] = switch
    return change


def test_base_case_is_valid(validator):
    assert not errors(validator, BASE)


NEGATIVE = {
    "unknown top-level key": lambda s: s.update(stepz={}),
    "missing flowspec": lambda s: s.pop("flowspec"),
    "wrong format version": lambda s: s.update(flowspec=2),
    "missing steps": lambda s: s.pop("steps"),
    "no steps": lambda s: s.update(steps={}),
    "flow name not an identifier": lambda s: s.update(name="movie-stats"),
    "bad step name": lambda s: s["steps"].update({"2nd-step": {"run": "steps.py:fit"}}),
    "unknown step key": lambda s: s["steps"]["start"].update(nxt="end"),
    "next and switch together": lambda s: s["steps"]["start"].update(
        switch={"on": "rows", "cases": {"a": "end"}}),
    "switch without cases": lambda s: s["steps"]["start"].update(switch={"on": "rows"}),
    "switch case to a bad name": switch_instead_of_next({"on": "rows", "cases": {"a": "the end"}}),
    "switch with an unknown key": switch_instead_of_next({"on": "rows", "cases": {"a": "end"}, "else": "end"}),
    "bad duration": lambda s: s["steps"]["start"].update(timeout="10 minutes"),
    "duration without unit": lambda s: s["steps"]["start"].update(timeout="90"),
    "bad retry delay": lambda s: s["steps"]["start"].update(retry={"times": 2, "delay": "2"}),
    "retry mapping without times": lambda s: s["steps"]["start"].update(retry={"delay": "2s"}),
    "negative retry": lambda s: s["steps"]["start"].update(retry=-1),
    "run without function": lambda s: s["steps"]["start"].update(run="steps.py"),
    "run with a call": lambda s: s["steps"]["start"].update(run="steps.py:load()"),
    "run with a bad module": lambda s: s["steps"]["start"].update(run="my-module:load"),
    "run as a list": lambda s: s["steps"]["start"].update(run=["steps.py:load"]),
    "join false": lambda s: s["steps"]["end"].update(join=False),
    "concurrency zero": lambda s: s["steps"]["start"].update(concurrency=0),
    "max_iterations zero": lambda s: s["steps"]["start"].update(max_iterations=0),
    "bad memory": lambda s: s["steps"]["start"].update(resources={"memory": "4GB"}),
    "zero cpu": lambda s: s["steps"]["start"].update(resources={"cpu": 0}),
    "unknown resource": lambda s: s["steps"]["start"].update(resources={"disk": "10G"}),
    "bad output name": lambda s: s["steps"]["start"].update(outputs=["rows", "2nd"]),
    "bad reference in args": lambda s: s["steps"]["end"].update(args={"x": "rows["}),
    "args value not a string": lambda s: s["steps"]["end"].update(args={"x": 3}),
    "bad catch name": lambda s: s["steps"]["start"].update(catch="on-error"),
    "requirements and venv": lambda s: s.update(python={"requirements": ["pandas"], "venv": ".venv"}),
    "run in defaults": lambda s: s.update(defaults={"run": "steps.py:load"}),
    "next in defaults": lambda s: s.update(defaults={"next": "end"}),
    "unknown param type": lambda s: s.update(params={"n": {"type": "integer"}}),
    "int param with a string default": lambda s: s.update(params={"n": {"type": "int", "default": "5"}}),
    "binary on a str param": lambda s: s.update(params={"n": {"type": "str", "binary": True}}),
    "bad param name": lambda s: s.update(params={"n-rows": {"type": "int"}}),
    "env name with a dash": lambda s: s.update(env={"MY-VAR": "1"}),
    "env value a mapping": lambda s: s.update(env={"MY_VAR": {"a": 1}}),
    "step not a mapping": lambda s: s["steps"].update(end="steps.py:report"),
}


@pytest.mark.parametrize("change", NEGATIVE.values(), ids=NEGATIVE.keys())
def test_schema_rejects(validator, change):
    assert errors(validator, with_change(change))


POSITIVE = {
    "module run target": lambda s: s["steps"]["start"].update(run="pkg.sub.module:load"),
    "notebook run target": lambda s: s["steps"]["start"].update(run="notebooks/explore.ipynb:load"),
    "retry mapping": lambda s: s["steps"]["start"].update(
        retry={"times": 3, "delay": "2s", "backoff": 2.0, "max_delay": "5m", "jitter": True}),
    "fractional duration": lambda s: s["steps"]["start"].update(timeout="1.5h"),
    "duration in milliseconds": lambda s: s["steps"]["start"].update(retry={"times": 1, "delay": "100ms"}),
    "bare memory in MB": lambda s: s["steps"]["start"].update(resources={"cpu": 0.5, "memory": 512, "gpu": 0}),
    "memory with unit": lambda s: s["steps"]["start"].update(resources={"memory": "1.5G"}),
    "outputs star": lambda s: s["steps"]["start"].update(outputs="*"),
    "switch with default": switch_instead_of_next(
        {"on": "rows.kind", "cases": {"a": "end", "b": "end"}, "default": "end"}),
    "references": lambda s: s["steps"]["end"].update(args={
        "a": "rows", "b": "rows.attr", "c": "rows[0]", "d": 'rows["k"]', "e": "inputs.start.rows",
        "f": "start.item", "g": "index"}),
    "env values of every scalar type": lambda s: s.update(env={"A": "x", "B": 1, "C": True, "D": "${HOME}"}),
    "settings in defaults": lambda s: s.update(defaults={
        "retry": 1, "timeout": "1m", "catch": "error", "concurrency": 2, "max_iterations": 3,
        "resources": {"cpu": 1}, "env": {"A": "1"}, "python": {"path": ["src"]}, "cache": True,
        "isolate": False}),
    "param without default": lambda s: s.update(params={"genre": {"help": "required"}}),
    "json param": lambda s: s.update(params={"cfg": {"type": "json", "default": {"a": [1, 2]}}}),
    "binary file param": lambda s: s.update(params={"blob": {"type": "file", "binary": True}}),
    "pass-through step": lambda s: s["steps"].update(
        start={"next": "end"}),
}


@pytest.mark.parametrize("change", POSITIVE.values(), ids=POSITIVE.keys())
def test_schema_accepts(validator, change):
    errs = errors(validator, with_change(change))
    assert not errs, describe(errs)


# -- the benchmark generator ------------------------------------------------------------------------

@pytest.mark.parametrize("n,linear", [(1000, False), (37, False), (2, False), (50, True)])
def test_benchmark_generator_writes_valid_specs(validator, tmp_path, n, linear):
    import subprocess
    import sys

    out = tmp_path / "flow.yaml"
    cmd = [sys.executable, str(ROOT / "bench" / "lint" / "gen_spec.py")] + (["--linear"] if linear else [])
    subprocess.run(cmd + [str(n), str(out)], check=True, stdout=subprocess.DEVNULL)
    spec = load_spec(out)
    assert len(spec["steps"]) == n
    errs = errors(validator, spec)
    assert not errs, describe(errs[:10])
    assert (tmp_path / "steps.py").exists() and (tmp_path / "lib" / "bench_ops.py").exists()
