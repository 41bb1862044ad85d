"""The graph shared by gen_spec.py (flowspec) and gen_metaflow.py (Metaflow).

A flow of exactly N steps: `start`, then repeated blocks, then linear steps up to `end`.
Blocks alternate between two shapes:

  A (11 steps): two linear steps; a 3-way static branch and its join; a step that makes a
                list; a foreach over it, one body step, and the foreach's join.
  B (8 steps):  one linear step; a step that makes a list; a foreach whose body is a 3-way
                static branch with its own join; the foreach's join.

With `linear`, the flow is a plain chain of N steps instead.

Every step computes one artifact from earlier ones, so data flow is checked as well as shape.
"""

from dataclasses import dataclass, field

BLOCK_A = 11
BLOCK_B = 8


@dataclass
class Step:
    name: str
    args: dict = field(default_factory=dict)      # parameter -> flowspec reference
    output: str = ""                               # the artifact the step produces
    next: list = field(default_factory=list)       # successor step names
    foreach: str = ""                              # this step runs once per item of this artifact
    join: bool = False
    module: bool = False                           # call a module function rather than steps.py
    kind: str = "linear"                           # linear, split, arm, join, grid, each, body, fjoin
    extra: dict = field(default_factory=dict)      # what the Metaflow generator needs to know


def build(n, linear=False):
    """The steps of an N-step flow; with `linear`, no blocks: a chain of N steps."""
    if n < 2:
        raise SystemExit("N must be at least 2 (start and end)")
    steps = []

    def add(step):
        steps.append(step)
        return step

    def link(a, b):
        a.next.append(b.name)

    counter = [0]

    def module_turn():
        counter[0] += 1
        return counter[0] % 5 == 0

    start = add(Step("start", output="o_start", args={}, extra={"params": ["scale"]}))
    prev = start
    block = 0
    while True:
        size = BLOCK_A if block % 2 == 0 else BLOCK_B
        if linear or len(steps) + size + 1 > n:
            break
        k = block
        if size == BLOCK_A:
            for j in (1, 2):
                s = add(Step(f"a{k}_lin{j}", args={"x": prev.output}, output=f"o_a{k}_lin{j}", module=module_turn()))
                link(prev, s)
                prev = s
            split = add(Step(f"a{k}_split", args={"x": prev.output}, output=f"o_a{k}_split", kind="split"))
            link(prev, split)
            arms = []
            for j in range(3):
                arm = add(Step(f"a{k}_arm{j}", args={"x": split.output}, output=f"arm_{k}", kind="arm",
                               module=module_turn(), extra={"factor": j + 1}))
                link(split, arm)
                arms.append(arm)
            join = add(Step(f"a{k}_join", args={"xs": f"inputs.arm_{k}"}, output=f"o_a{k}_join", join=True,
                            kind="join", extra={"inputs_of": f"arm_{k}"}))
            for arm in arms:
                link(arm, join)
            grid = add(Step(f"a{k}_grid", args={"x": join.output}, output=f"items_{k}", kind="grid"))
            link(join, grid)
            each = add(Step(f"a{k}_each", foreach=grid.output, args={"x": "item", "base": join.output},
                            output=f"o_a{k}_each", kind="each"))
            link(grid, each)
            body = add(Step(f"a{k}_body", args={"x": each.output, "i": "index"}, output=f"body_{k}", kind="body",
                            module=module_turn()))
            link(each, body)
            fjoin = add(Step(f"a{k}_fjoin", args={"xs": f"inputs.body_{k}"}, output=f"o_a{k}_fjoin", join=True,
                             kind="join", extra={"inputs_of": f"body_{k}"}))
            link(body, fjoin)
            prev = fjoin
        else:
            lin = add(Step(f"b{k}_lin", args={"x": prev.output}, output=f"o_b{k}_lin", module=module_turn()))
            link(prev, lin)
            grid = add(Step(f"b{k}_grid", args={"x": lin.output}, output=f"items_{k}", kind="grid"))
            link(lin, grid)
            each = add(Step(f"b{k}_each", foreach=grid.output, args={"x": "item"}, output=f"o_b{k}_each",
                            kind="split"))
            link(grid, each)
            arms = []
            for j in range(3):
                arm = add(Step(f"b{k}_arm{j}", args={"x": each.output, "it": f"{each.name}.item"},
                               output=f"arm_{k}", kind="arm", module=module_turn(),
                               extra={"factor": j + 1, "item_of": each.name}))
                link(each, arm)
                arms.append(arm)
            bjoin = add(Step(f"b{k}_bjoin", args={"xs": f"inputs.arm_{k}"}, output=f"o_b{k}_bjoin", join=True,
                             kind="join", extra={"inputs_of": f"arm_{k}"}))
            for arm in arms:
                link(arm, bjoin)
            fjoin = add(Step(f"b{k}_fjoin", args={"xs": f"inputs.{bjoin.output}"}, output=f"o_b{k}_fjoin",
                             join=True, kind="join", extra={"inputs_of": bjoin.output}))
            link(bjoin, fjoin)
            prev = fjoin
        block += 1
    j = 0
    while len(steps) < n - 1:
        s = add(Step(f"tail{j}", args={"x": prev.output}, output=f"o_tail{j}", module=module_turn()))
        link(prev, s)
        prev = s
        j += 1
    end = add(Step("end", args={"x": prev.output}, output="o_end", kind="end"))
    link(prev, end)
    assert len(steps) == n, (len(steps), n)
    return steps
