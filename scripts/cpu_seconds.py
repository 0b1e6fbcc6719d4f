#!/usr/bin/env python3
"""cpu_seconds.py CMD...: run CMD (output discarded) and print its CPU seconds, user + system.

From getrusage of the waited-for children, so every process CMD starts and waits for counts,
in microseconds: GNU time's %U/%S count in 10 ms steps, a tenth of tablift's whole run over 20
PDFs. Used by scripts/bench-pdf and scripts/bench-html.

Counted as the difference across CMD's run: on this machine the interpreter has already waited
for ~50 ms of children's CPU before it starts CMD (start-up, even with `-S`), which are not
CMD's. Until 2026-12-03 that was counted, a third of tablift's time over 20 PDFs.
"""
import resource, subprocess, sys


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


before = children_cpu()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print("%.4f" % (children_cpu() - before))
