#!/usr/bin/env python3
"""timeit.py NAME RUNS CMD...: one warm-up, then RUNS timed runs of CMD.

Prints "NAME median_seconds peak_rss_kib run1 run2 ...". Wall time by perf_counter; peak RSS
(KiB) by GNU time's %M, which execs the command from a small process (a fork of this Python
process would report Python's own RSS as the floor).
"""
import os, statistics, subprocess, sys, tempfile, time

name, runs, cmd = sys.argv[1], int(sys.argv[2]), sys.argv[3:]

rss_file = tempfile.NamedTemporaryFile(delete=False).name

def once():
    t0 = time.perf_counter()
    subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss_file] + cmd,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - t0
    with open(rss_file) as f:
        lines = [l for l in f.read().split() if l.isdigit()]
    return elapsed, int(lines[-1]) if lines else 0

once()
res = [once() for _ in range(runs)]
times = [r[0] for r in res]
print(f"{name} {statistics.median(times):.4f} {max(r[1] for r in res)} "
      + " ".join(f"{t:.3f}" for t in times))
