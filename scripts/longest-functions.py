#!/usr/bin/env python3
"""The longest Swift functions and initializers under Sources/, by lines from the line of
`func`/`init` to its closing brace: `scripts/longest-functions.py [COUNT] [FOLDER]`.

Braces inside string literals (multi-line ones included) and comments are not counted.
Declarations without a body (protocol requirements) are skipped.
"""

import re
import sys
from pathlib import Path

DECLARATION = re.compile(r"^\s*(?:@\w+(?:\([^)]*\))?\s+)*(?:[a-z]+\s+)*(func\s+[^\s(<]+|init[?!]?\s*[(<])")


def code_only(line: str, in_multiline: bool) -> tuple[str, bool]:
    """`line` with string literals and `//` comments blanked; whether a `\"\"\"` string goes on."""
    out = []
    i = 0
    while i < len(line):
        if in_multiline:
            end = line.find('"""', i)
            if end < 0:
                return "".join(out), True
            i, in_multiline = end + 3, False
        elif line.startswith('"""', i):
            i, in_multiline = i + 3, True
        elif line.startswith("//", i):
            break
        elif line[i] == '"':
            i += 1
            while i < len(line) and line[i] != '"':
                i += 2 if line[i] == "\\" else 1
            i += 1
        else:
            out.append(line[i])
            i += 1
    return "".join(out), in_multiline


def functions(path: Path):
    lines = path.read_text().splitlines()
    code, multiline = [], False
    for line in lines:
        stripped, multiline = code_only(line, multiline)
        code.append(stripped)
    for start, text in enumerate(code):
        match = DECLARATION.match(text)
        if not match:
            continue
        depth, opened = 0, False
        for end in range(start, len(code)):
            for char in code[end]:
                if char == "{":
                    depth, opened = depth + 1, True
                elif char == "}":
                    depth -= 1
            if not opened and end > start and not code[end].strip().startswith(("->", "throws", "where", ")")):
                if "{" not in code[end]:
                    break
            if opened and depth <= 0:
                name = match.group(1).replace("func ", "").rstrip("(<").strip()
                yield end - start + 1, f"{path}:{start + 1}", name
                break


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    folder = Path(sys.argv[2] if len(sys.argv) > 2 else "Sources")
    found = [f for path in sorted(folder.rglob("*.swift")) for f in functions(path)]
    for length, place, name in sorted(found, key=lambda f: (-f[0], f[1]))[:count]:
        print(f"{length:4}  {place}  {name}")


if __name__ == "__main__":
    main()
