#!/usr/bin/env python3
"""Where a JFR recording's CPU samples went: by thread, by top frame, by class on the stack (inclusive), and by the
first Switchboard frame on the stack (which of our code a sample was working for).
Usage: python3 bench/jfr-summary.py <recording.jfr> [lines per table, default 25]   (needs the JDK's `jfr` tool)"""
import collections
import re
import subprocess
import sys

recording = sys.argv[1]
lines = int(sys.argv[2]) if len(sys.argv) > 2 else 25
text = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "64", recording],
                      capture_output=True, text=True, check=True).stdout
threads, top, inclusive, ours = (collections.Counter() for _ in range(4))
n = 0
for sample in text.split("jdk.ExecutionSample {")[1:]:
    thread = re.search(r'sampledThread = "([^"]*)"', sample)
    frames = [f for f in re.findall(r"^\s+([\w$.<>/]+)\(", sample, re.M) if f != "stackTrace"]
    if not frames:
        continue
    n += 1
    threads[re.sub(r"\d+", "N", thread.group(1) if thread else "?")] += 1
    top[frames[0]] += 1
    for cls in {f.rsplit(".", 1)[0] for f in frames}:
        inclusive[cls] += 1
    ours[next((f for f in frames if f.startswith("dev.switchboard")), "(no Switchboard frame)")] += 1
print(f"{n} CPU samples in {recording}")
for title, counter in (("by thread", threads), ("by top frame (self)", top), ("by class on the stack (inclusive)",
                                                                             inclusive),
                       ("by first Switchboard frame", ours)):
    print(f"== {title}")
    for name, count in counter.most_common(lines):
        print(f"{100.0 * count / n:5.1f}% {name}")
