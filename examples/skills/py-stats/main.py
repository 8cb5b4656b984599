# A Python skill with two tools. Input: JSON on stdin; tool name: os.environ["AIRLOCK_TOOL"]
# (also sys.argv[1]); result: JSON on stdout. Its own files are read-only under /skill.
import json
import os
import sys

tool = os.environ["AIRLOCK_TOOL"]
args = json.load(sys.stdin)

if tool == "stats":
    xs = args["numbers"]
    result = {"count": len(xs), "sum": sum(xs)}
    if xs:
        result.update(mean=sum(xs) / len(xs), min=min(xs), max=max(xs))
elif tool == "words":
    with open("/skill/stopwords.txt") as f:
        stop = set(f.read().split())
    counts = {}
    for w in args["text"].lower().split():
        w = w.strip(".,;:!?\"'()")
        if w and w not in stop:
            counts[w] = counts.get(w, 0) + 1
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[: args.get("top", 5)]
    result = {"words": [{"word": w, "count": n} for w, n in top]}
else:
    print("unknown tool " + tool, file=sys.stderr)
    sys.exit(2)

json.dump(result, sys.stdout)
