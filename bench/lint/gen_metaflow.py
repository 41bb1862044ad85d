#!/usr/bin/env python3
"""Write a Metaflow flow with the same N-step graph as gen_spec.py (default 1000).

usage: gen_metaflow.py [--linear] [N] [OUT.py]

--linear writes a plain chain of N steps (no branches, no foreach).

Same steps, same successors, same static branches, foreach splits and joins, and the same
artifacts computed from the same inputs. Metaflow declares a foreach on the step before the
fan-out (`self.next(self.each, foreach="items")`); flowspec on the fan-out step itself; the
graph is the same.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from shape import build  # noqa: E402


def expr(step, by_name):
    """The step's computation, reading its inputs the Metaflow way."""
    a = step.args

    def ref(value):
        if value == "item":
            return "self.input"
        if value == "index":
            return "self.index"
        if value.endswith(".item"):
            return "self.it"                      # stored by the enclosing foreach step
        return f"self.{value}"

    if step.name == "start":
        return "self.scale"
    if step.kind == "grid":
        return f"[{ref(a['x'])}, {ref(a['x'])} + 1, {ref(a['x'])} + 2]"
    if "xs" in a:
        return f"sum(inp.{step.extra['inputs_of']} for inp in inputs)"
    if step.kind == "arm":
        base = f"{ref(a['x'])} * {step.extra['factor']}"
        return base + (" + self.it" if "it" in a else "")
    if "base" in a:
        return f"{ref(a['x'])} + {ref(a['base'])}"
    if "i" in a:
        return f"{ref(a['x'])} + self.index"
    return f"{ref(a['x'])} + 1"


def main():
    argv = sys.argv[1:]
    linear = "--linear" in argv
    argv = [a for a in argv if a != "--linear"]
    sys.argv[1:] = argv
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    out = sys.argv[2] if len(sys.argv) > 2 else f"bench_{n}_flow.py"
    steps = build(n, linear=linear)
    by_name = {s.name: s for s in steps}
    # Metaflow puts `foreach=` on the parent of the fan-out step.
    foreach_of_child = {s.name: s.foreach for s in steps if s.foreach}
    # Steps inside a foreach whose branch arms read `EACH.item` need it stored on self.
    stores_item = {s.extra["item_of"] for s in steps if "item_of" in s.extra}

    lines = [
        f'"""Generated {n}-step Metaflow flow for the lint benchmark (same graph as gen_spec.py)."""',
        "",
        "from metaflow import FlowSpec, Parameter, step",
        "",
        "",
        f"class LintBench{n}(FlowSpec):",
        '    scale = Parameter("scale", default=1, help="Seed value carried through the flow")',
    ]
    for s in steps:
        lines += ["", "    @step"]
        lines.append(f"    def {s.name}(self{', inputs' if s.join else ''}):")
        if s.name in stores_item:
            lines.append("        self.it = self.input")
        lines.append(f"        self.{s.output} = {expr(s, by_name)}")
        if len(s.next) == 1 and s.next[0] in foreach_of_child:
            lines.append(f"        self.next(self.{s.next[0]}, foreach={foreach_of_child[s.next[0]]!r})")
        elif s.next:
            lines.append("        self.next(" + ", ".join(f"self.{t}" for t in s.next) + ")")
        else:
            lines.append(f"        print(self.{s.output})")
    lines += ["", "", 'if __name__ == "__main__":', f"    LintBench{n}()", ""]
    with open(out, "w") as f:
        f.write("\n".join(lines))
    print(f"{out}: {len(steps)} steps")


if __name__ == "__main__":
    main()
