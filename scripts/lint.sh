#!/usr/bin/env bash
# Lints the Swift with swift-format (rules in .swift-format) and the Python with ruff (ruff.toml).
set -euo pipefail
cd "$(dirname "$0")/.."

# .swift-format keeps swift-format's rules but these, which the code deliberately does not follow:
#   DoNotUseSemicolons             short paired statements share a line (`i += 1; j += 1`)
#   OneVariableDeclarationPerLine  values that go together are declared together (`var i = 0, j = 0`)
#   UseLetInEveryBoundCaseVariable patterns bind with one leading `let` (`case let .died(pid, status)`)
#   OrderedImports                 the conditional FoundationEssentials import comes before the others
#   ReplaceForEachWithForLoop      one call on each element stays one line (`.forEach { close($0) }`)
#   OneCasePerLine                 coding keys fit on one line (`case json, textFile = "text_file"`)
# swift-format's lint also reports every place its pretty-printer would lay the code out otherwise,
# and no configuration turns that off (swiftlang/swift-format#764). The code is laid out by hand
# (continuation lines aligned under what they continue, lines up to ~150 columns), so those layout
# findings are left out here; every rule above is enforced. `swift format` with .swift-format lays
# out new code close to the house style (4 spaces, 120 columns).
layout='\[(Indentation|AddLines|RemoveLine|LineLength|TrailingComma|EndOfLineComment)\]'
findings=$(swift format lint --recursive --parallel Package.swift Sources Tests 2>&1 | grep -Ev "$layout" || true)
if [ -n "$findings" ]; then
    printf '%s\n' "$findings"
    echo "swift format lint: fix the findings above, or mark a deliberate exception with"
    echo "'// swift-format-ignore: RULE' (see Sources/FlowBasics/SHA256.swift)"
    exit 1
fi

python3 -m ruff check --quiet .
