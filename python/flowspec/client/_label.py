"""Task labels, written and read as every flowspec command does (README, "Reading runs"; the
Swift side's `TaskLabel`): the task's foreach positions, outermost first, joined by dots (`3`,
`2.1.0`), then, for a step inside a switch loop, `#K`, its pass through the loop counted from 0
(`#2`; `3#1` inside a foreach). A step in neither has one task, labelled ''. As a path:
`per_genre/3`, `train/#2`, `start`."""
import re

_LABEL = re.compile(r"([0-9]+(?:\.[0-9]+)*)?(?:#([0-9]+))?")


def format_label(positions, loop_pass=None):
    """`2.1.0`, `#2`, `3#1`, or '' for no positions and no pass (a step in no loop)."""
    text = ".".join(str(int(p)) for p in positions)
    return text if loop_pass is None else f"{text}#{int(loop_pass)}"


def task_path(step, positions, loop_pass=None):
    """`per_genre/3`, `train/#2`, or the step alone when the label is empty."""
    label = format_label(positions, loop_pass)
    return f"{step}/{label}" if label else step


def parse_label(text):
    """(positions, pass) from a label; the pass is None when no `#K` is written. A ValueError
    for text that is not a label."""
    match = _LABEL.fullmatch(text) if isinstance(text, str) and text else None
    if match is None:
        raise ValueError(f"{text!r} is not a task label: write its foreach position (3, or 2.0 "
                         f"when nested) and, for a loop pass, #K (#2, 3#1)")
    positions, loop_pass = match.groups()
    return (tuple(int(p) for p in positions.split(".")) if positions else (),
            None if loop_pass is None else int(loop_pass))
