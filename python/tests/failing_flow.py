"""A flow whose foreach fails on its second item (`each/1: ValueError: bad row 2`), printing each
item it checks: for the tests of `flowspec.run` from Python and from a notebook."""

FAILING = """\
flowspec: 1
name: Fails
steps:
  start: {run: steps.py:load, outputs: rows, next: each}
  each: {foreach: rows, run: steps.py:check, outputs: ok, next: join}
  join: {join: true, next: end}
  end: {}
"""
STEPS = ("def load():\n    return [1, 2, 3]\n\n"
         "def check(item):\n    print(f'checking {item}')\n    if item == 2:\n"
         "        raise ValueError(f'bad row {item}')\n    return item\n")
