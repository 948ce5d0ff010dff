# Prints every line of a full run's results.json (BenchRunner's output): for each benchmark and metric
# the best peer and each Guise subject's ratio to it; the Download lines as throughput / CPU per MiB
# with a count per engine of the lines that meet both targets (>= 1.2x, <= 0.8x) and of those behind.
#   python3 lines.py benchmarks/results/full/results.json
import json
import sys
from collections import OrderedDict

rows = json.load(open(sys.argv[1]))


def short(subject):
    return subject.removeprefix("guise-")


ORDER = ["guise-bouncycastle", "guise-jdk", "guise-conscrypt"]
rows.sort(key=lambda r: ORDER.index(r["subject"]) if r["subject"] in ORDER else len(ORDER))
lines = OrderedDict()
for r in rows:
    lines.setdefault((r["benchmark"], r["metric"]), []).append(r)

download = OrderedDict()
for (bench, metric), rs in lines.items():
    if bench.startswith("Download."):
        for r in rs:
            download.setdefault(bench, {}).setdefault(r["subject"], {})[metric] = r
        continue
    first = rs[0]
    subjects = " ".join(f"{short(r['subject'])} {r['ratio']:.2f}x ({r['guise']:.1f})" for r in rs)
    print(f"{bench:55s} {metric:30s} peer {first['peer']:16s} {first['peer_value']:12.1f} {first['unit']:6s} {subjects}")

tally = OrderedDict()
for bench, subjects in download.items():
    parts = []
    for subject, m in subjects.items():
        thr, cpu = m["throughput"], m["cpu.per.mib"]
        parts.append(f"{short(subject)} {thr['ratio']:.2f}/{cpu['ratio']:.2f}({thr['peer']})")
        t = tally.setdefault(subject, {"met": 0, "behind": 0, "n": 0, "thr": [], "cpu": []})
        t["n"] += 1
        t["met"] += thr["ratio"] >= 1.2 and cpu["ratio"] <= 0.8
        t["behind"] += thr["ratio"] < 1.0 or cpu["ratio"] > 1.0
        t["thr"].append(thr["ratio"])
        t["cpu"].append(cpu["ratio"])
    print(f"{bench:60s} {' '.join(parts)}")
for subject, t in tally.items():
    print(
        f"{subject} met {t['met']} of {t['n']} behind(any metric) {t['behind']}"
        f" thr {min(t['thr']):.2f}-{max(t['thr']):.2f} cpu {min(t['cpu']):.2f}-{max(t['cpu']):.2f}"
    )
