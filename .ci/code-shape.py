#!/usr/bin/env python3
"""Lists Swift files over FILE_LIMIT lines, functions over FUNC_LIMIT lines and public or
package types without a doc comment in Sources/.

A rough reader (brace counting from a line that opens a func, init, subscript or a
computed property's body); good enough to find what to split. Exit 1 when something is
over, so CI can hold the line: `python3 .ci/code-shape.py`.
"""
import os, re, sys

FILE_LIMIT, FUNC_LIMIT = 400, 60
START = re.compile(r'^\s*(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|package|private|fileprivate|internal|static|class|final|override|mutating|nonisolated|convenience|required|@inlinable)\s+)*(func\s+[^\s(<]+|init[?!]?|subscript|deinit)\b')

def strip(line):
    line = re.sub(r'"(?:\\.|[^"\\])*"', '""', line)
    return line.split('//')[0]

TYPE = re.compile(r'^\s*(?:@\w+\s+)*(?:public|package)\s+(?:final\s+)?(struct|enum|class|protocol|actor)\s+(\w+)')

def undocumented(path, lines):
    found = []
    for n, line in enumerate(lines):
        m = TYPE.match(line)
        if not m:
            continue
        k = n - 1
        while k >= 0 and lines[k].strip().startswith('@'):
            k -= 1
        if k < 0 or not lines[k].strip().startswith('///'):
            found.append(f'{path}:{n + 1}: {m.group(1)} {m.group(2)} has no doc comment')
    return found

def scan(path):
    over = []
    lines = open(path, encoding='utf-8').read().split('\n')
    over += undocumented(path, lines)
    if len(lines) > FILE_LIMIT:
        over.append(f'{path}: {len(lines)} lines')
    i = 0
    in_multiline = False
    while i < len(lines):
        m = START.match(lines[i])
        if m:
            depth, opened, j = 0, False, i
            while j < len(lines):
                text = lines[j]
                if '"""' in text:
                    in_multiline = text.count('"""') % 2 == 1 and not in_multiline or (in_multiline and text.count('"""') % 2 == 0)
                    j += 1
                    continue
                if in_multiline:
                    j += 1
                    continue
                text = strip(text)
                depth += text.count('{') - text.count('}')
                opened = opened or '{' in text
                if opened and depth <= 0:
                    break
                if not opened and j > i + 8:
                    break  # a protocol requirement: no body
                j += 1
            length = j - i + 1
            if opened and length > FUNC_LIMIT:
                over.append(f'{path}:{i + 1}: {m.group(1)} is {length} lines')
            i = i + 1
            continue
        i += 1
    return over

over = []
for root, _, files in os.walk('Sources'):
    for f in sorted(files):
        if f.endswith('.swift'):
            over += scan(os.path.join(root, f))
for line in sorted(over):
    print(line)
sys.exit(1 if over else 0)
