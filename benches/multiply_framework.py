#!/usr/bin/env python3
"""Write a framework N times the size of a given one, in one file: every competency repeated N
times, copy k (k > 1) with `-k` after its id (and its parent's), ` (k)` after its name and a
`#k` fragment on its URI, under the id `ID-xN`.

Usage: multiply_framework.py esco.yaml 8 esco-x8.yaml
"""
import re
import sys

src, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
text = open(src, encoding="utf-8").read()
head, sep, body = text.partition("\ncompetencies:\n")
head = re.sub(r"^id: (.*)$", lambda m: f"id: {m.group(1).strip(chr(34))}-x{n}", head, count=1, flags=re.M)
# One block per competency: from "  - id:" to the next.
blocks = re.split(r"(?m)^(?=  - id: )", body)
blocks = [b for b in blocks if b.strip()]


def copy(block, k):
    if k == 1:
        return block
    b = re.sub(r'(?m)^(  - id: |    parent: )"?([^"\n]*)"?$', lambda m: f'{m.group(1)}"{m.group(2)}-{k}"', block)
    b = re.sub(r"(?m)^(    name: )(.*)$", lambda m: f"{m.group(1)}{m.group(2)} ({k})" if not m.group(2).startswith(("'", '"')) else f"{m.group(1)}{m.group(2)}", b)
    b = re.sub(r"(?m)^(    uri: )(.*)$", lambda m: f"{m.group(1)}{m.group(2)}#{k}", b)
    return b


with open(out, "w", encoding="utf-8") as f:
    f.write(head + sep)
    for k in range(1, n + 1):
        for b in blocks:
            f.write(copy(b, k))
