# What scripts/bench-pdf and scripts/bench-html share; sourced, not run.

# cpu CMD...: user + system seconds of one run (scripts/cpu_seconds.py: microseconds).
cpu() { python3 scripts/cpu_seconds.py "$@"; }

# median: the median of the numbers on stdin, one a line.
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# round_ratios FORMAT BASE OTHER: OTHER's time over BASE's per round (the files hold one
# time a line, round by round), as "median (lowest-highest)", each number in FORMAT.
round_ratios() {
    paste "$2" "$3" | awk '{ print $2 / $1 }' | sort -g |
        awk -v f="$1" '{ r[NR] = $1 }
            END { printf f " (" f "-" f ")", r[int((NR + 1) / 2)], r[1], r[NR] }'
}
