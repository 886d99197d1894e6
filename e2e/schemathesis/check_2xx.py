"""Asserts that every operation of the document got at least one 2xx answer
across the runs whose NDJSON reports are given, and prints each
operation's statuses.

    check_2xx.py openapi.json report.ndjson...
"""

import json
import sys
from collections import defaultdict

METHODS = {"get", "put", "post", "delete", "patch", "options", "head", "trace"}
spec = json.load(open(sys.argv[1]))
operations = {f"{m.upper()} {p}" for p, item in spec["paths"].items() for m in item if m in METHODS}
seen = defaultdict(set)
for report in sys.argv[2:]:
    for line in open(report):
        event = json.loads(line).get("ScenarioFinished")
        if not event:
            continue
        recorder = event["recorder"]
        for case_id, interaction in recorder.get("interactions", {}).items():
            case = recorder["cases"][case_id]["value"]
            if interaction.get("response"):
                seen[f"{case['method'].upper()} {case['path']}"].add(interaction["response"]["status_code"])
for operation in sorted(operations):
    print(f"  {operation:<55} {sorted(seen.get(operation, ()))}")
missing = sorted(o for o in operations if not any(200 <= s < 300 for s in seen.get(o, ())))
if missing:
    print("no 2xx answer for:", *missing, sep="\n  ")
    sys.exit(1)
print(f"{len(operations)} operations, each answered 2xx at least once")
