#!/usr/bin/env python3
"""bench_report.py RESULTS: the markdown table and the bars of issue 5, from scripts/bench."""
import sys

rows, load = {}, {}
for line in open(sys.argv[1]):
    f = line.split()
    if not f:
        continue
    if f[0].startswith("load-"):
        load[f[0]] = " ".join(f[1:])
        continue
    rows[f[0]] = dict(t=float(f[1]), rss=int(f[2]) / 1024, docs=int(f[3]), size=int(f[4]),
                      cpu=float(f[5]), runs=" ".join(f[6:]))

def t(k): return rows[k]["t"]
def dps(k): return rows[k]["docs"] / t(k)

print(f"\nload average (1/5/15 min) before: {load.get('load-before', '?')}, "
      f"after: {load.get('load-after', '?')}\n")
print("| run | docs | MB | median s | docs/s | MB/s | CPU ms/doc | peak RSS MiB | vs limit (same -j) | runs (s) |")
print("|---|---|---|---|---|---|---|---|---|---|")
for k, r in rows.items():
    lim = k.replace("extract", "limit").replace("-x4", "")
    ratio = f"{t(lim) / r['t']:.0%}" if "extract" in k and lim in rows else ""
    mb = r["size"] / 1e6
    print(f"| {k} | {r['docs']:,} | {mb:,.0f} | {r['t']:.3f} | {dps(k):,.0f} | {mb / r['t']:,.1f} "
          f"| {1000 * r['cpu'] / r['docs']:.3f} | {r['rss']:.1f} | {ratio} | {r['runs']} |")

def bar(ok): return "met" if ok else "NOT met"
print()
for c in ("docx-seed", "docx-mixed"):
    j2, l1, l2 = f"{c}-extract-j2", f"{c}-limit-j1", f"{c}-limit-j2"
    print(f"{c}: extract -j2 {dps(j2):,.0f} docs/s = {dps(j2) / dps(l2):.0%} of the -j2 limit pass "
          f"({dps(j2) / dps(l1):.0%} of the -j1 one); bar >= 50%: {bar(dps(j2) >= 0.5 * dps(l2))}")
print(f"docx-seed: extract -j2 {dps('docx-seed-extract-j2'):,.0f} docs/s; bar >= 2,000: "
      f"{bar(dps('docx-seed-extract-j2') >= 2000)}")
x = t("text-extract-j2") / t("text-catwc")
print(f"text: extract -j2 takes {x:.1f}x the time of cat | wc -l; bar <= 4x: {bar(x <= 4)}")
for fmt in ("csv", "jsonl"):
    k = f"text-extract-j2-{fmt}"
    if k in rows:
        print(f"  (--format {fmt} only: {t(k) / t('text-catwc'):.1f}x)")
for c in ("docx-seed", "docx-mixed", "text"):
    s = t(f"{c}-extract-j1") / t(f"{c}-extract-j2")
    print(f"{c}: -j2 speed-up over -j1 {s:.2f}x; bar >= 1.7x: {bar(s >= 1.7)}")
peak = max(rows[k]["rss"] for k in rows if "extract" in k and "x4" not in k)
print(f"peak RSS over the {rows['docx-seed-extract-j2']['docs']:,}-document runs: {peak:.1f} MiB; "
      f"bar < 100 MiB: {bar(peak < 100)}")
if "docx-seed-x4-extract-j2" in rows:
    a, b = rows["docx-seed-extract-j2"]["rss"], rows["docx-seed-x4-extract-j2"]["rss"]
    print(f"flat: docx-seed -j2 peak RSS {a:.1f} MiB at N, {b:.1f} MiB at 4N; "
          f"bar (within 10%): {bar(b <= a * 1.1)}")
