# Prints every HotRequests line of a jmh-HotRequests.json: score, error, CPU per request, iterations,
# and each Guise subject's ratio to the best peer (peers: okhttp, jdk-httpclient, apache, jetty).
import json, sys
rows = json.load(open(sys.argv[1]))
peers = {"okhttp", "jdk-httpclient", "apache", "jetty"}
lines = {}
for r in rows:
    key = (r["benchmark"].split(".")[-1], r["params"]["protocol"])
    cpu = r["secondaryMetrics"].get("cpu.per.op", {}).get("score", 0) / 1000
    lines.setdefault(key, {})[r["params"]["subject"]] = (r["primaryMetric"]["score"], r["primaryMetric"]["scoreError"], cpu,
        [round(x) for x in r["primaryMetric"]["rawData"][0]])
for key, subjects in lines.items():
    print(f"== {key[0]} {key[1]}")
    best_thr = max((v[0], s) for s, v in subjects.items() if s in peers)
    best_cpu = min((v[2], s) for s, v in subjects.items() if s in peers)
    for s, (thr, err, cpu, it) in subjects.items():
        ratio = "" if s in peers else f"  thr {thr / best_thr[0]:.2f}x ({best_thr[1]})  cpu {cpu / best_cpu[0]:.2f}x ({best_cpu[1]})"
        print(f"  {s:20s} {thr:8.0f} +-{err:6.0f} /s  {cpu:6.1f} us  {it}{ratio}")
