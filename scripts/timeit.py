#!/usr/bin/env python3
"""timeit.py [--clean DIR] [--corpus DIR] NAME RUNS CMD...: one warm-up, then RUNS timed runs.

Prints "NAME median_seconds peak_rss_kib docs bytes median_cpu_seconds run1 run2 ...". Wall
time by perf_counter, CPU time (user + system, all threads) by GNU time, which is what to
compare when the machine is shared (wall time then depends on the other load);
peak RSS (KiB) by GNU time's %M, which execs the command from a small process (a fork of this
Python process would report Python's own RSS as the floor). --clean DIR removes DIR before
every run, outside the timing (replacing a previous run's large outputs costs the kernel time
that has nothing to do with this run). --corpus DIR counts the documents and bytes of DIR.
"""
import os, shutil, statistics, subprocess, sys, tempfile, time

args = sys.argv[1:]
clean = corpus = None
while args and args[0].startswith("--"):
    if args[0] == "--clean":
        clean = args[1]
    elif args[0] == "--corpus":
        corpus = args[1]
    args = args[2:]
name, runs, cmd = args[0], int(args[1]), args[2:]

docs = size = 0
if corpus:
    for root, _, files in os.walk(corpus):
        for f in files:
            if f.endswith((".docx", ".txt")):
                docs += 1
                size += os.path.getsize(os.path.join(root, f))

rss_file = tempfile.NamedTemporaryFile(delete=False).name

def once():
    if clean:
        shutil.rmtree(clean, ignore_errors=True)
    t0 = time.perf_counter()
    subprocess.run(["/usr/bin/time", "-f", "%M %U %S", "-o", rss_file] + cmd,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - t0
    with open(rss_file) as f:
        last = f.read().strip().splitlines()[-1].split()
    return elapsed, int(last[0]), float(last[1]) + float(last[2])

once()
res = [once() for _ in range(runs)]
times = [r[0] for r in res]
cpu = statistics.median(r[2] for r in res)
print(f"{name} {statistics.median(times):.4f} {max(r[1] for r in res)} {docs} {size} {cpu:.2f} "
      + " ".join(f"{t:.3f}" for t in times), flush=True)
