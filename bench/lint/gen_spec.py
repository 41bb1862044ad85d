#!/usr/bin/env python3
"""Write an N-step flowspec spec (default 1000) for the lint benchmark.

usage: gen_spec.py [--linear] [N] [OUT.yaml]

--linear writes a plain chain of N steps (no branches, no foreach).

Next to OUT.yaml it also writes steps.py and lib/bench_ops.py with every function the spec
names, so the spec is runnable and `flowspec lint --deep` can check the bindings too.
The shape is described in shape.py; gen_metaflow.py writes the same graph as a Metaflow flow.
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from shape import build  # noqa: E402


def function_source(step):
    params = list(step.args) or ["scale"]
    if step.kind == "grid":
        body = "return [x, x + 1, x + 2]"
    elif "xs" in step.args:
        body = "return sum(xs)"
    elif step.kind == "arm":
        body = f"return x * {step.extra['factor']} + it" if "it" in step.args else f"return x * {step.extra['factor']}"
    elif "base" in step.args:
        body = "return x + base"
    elif "i" in step.args:
        body = "return x + i"
    elif step.name == "start":
        body = "return scale"
    else:
        body = "return x + 1"
    return f"def fn_{step.name}({', '.join(params)}):\n    {body}\n"


def scalar(value):
    # Every generated name and reference is a plain YAML scalar; quote only what needs it.
    return json.dumps(value) if value == "*" else value


def main():
    argv = sys.argv[1:]
    linear = "--linear" in argv
    argv = [a for a in argv if a != "--linear"]
    sys.argv[1:] = argv
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    out = sys.argv[2] if len(sys.argv) > 2 else f"bench_{n}.yaml"
    steps = build(n, linear=linear)
    folder = os.path.dirname(os.path.abspath(out))
    os.makedirs(os.path.join(folder, "lib"), exist_ok=True)

    lines = [
        "flowspec: 1",
        f"name: LintBench{n}",
        f"description: Generated {n}-step flow for the lint benchmark (branches, foreach, data flow)",
        "python:",
        "  path: [lib]",
        "params:",
        "  scale: {type: int, default: 1, help: Seed value carried through the flow}",
        "defaults:",
        "  retry: 0",
        "steps:",
    ]
    local, module = [], []
    for step in steps:
        lines.append(f"  {step.name}:")
        if step.foreach:
            lines.append(f"    foreach: {step.foreach}")
        if step.join:
            lines.append("    join: true")
        if step.module:
            lines.append(f"    run: bench_ops:fn_{step.name}")
            module.append(function_source(step))
        else:
            lines.append(f"    run: steps.py:fn_{step.name}")
            local.append(function_source(step))
        if step.args:
            lines.append("    args: {" + ", ".join(f"{k}: {scalar(v)}" for k, v in step.args.items()) + "}")
        lines.append(f"    outputs: {step.output}")
        if len(step.next) == 1:
            lines.append(f"    next: {step.next[0]}")
        elif step.next:
            lines.append("    next: [" + ", ".join(step.next) + "]")
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")
    header = '"""Generated step functions of the lint benchmark flow."""\n\n\n'
    with open(os.path.join(folder, "steps.py"), "w") as f:
        f.write(header + "\n\n".join(local))
    with open(os.path.join(folder, "lib", "bench_ops.py"), "w") as f:
        f.write(header + "\n\n".join(module))
    print(f"{out}: {len(steps)} steps")


if __name__ == "__main__":
    main()
