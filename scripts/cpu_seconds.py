#!/usr/bin/env python3
"""cpu_seconds.py CMD...: run CMD (output discarded) and print its CPU seconds, user + system.

From getrusage of the waited-for children, so every process CMD starts and waits for counts,
in microseconds: GNU time's %U/%S count in 10 ms steps, a tenth of tablift's whole run over 20
PDFs. Used by scripts/bench-pdf and scripts/bench-html.
"""
import resource, subprocess, sys

subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print("%.4f" % (usage.ru_utime + usage.ru_stime))
