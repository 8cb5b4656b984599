"""Reads a JSON list of records on stdin; prints those whose score is at least MIN_SCORE, with a
rank, sorted by score, as JSON."""
import json
import os
import sys

records = json.load(sys.stdin)
minimum = float(os.environ.get("MIN_SCORE", "0"))
kept = sorted((r for r in records if r.get("score", 0) >= minimum), key=lambda r: -r["score"])
out = [{"rank": i + 1, "name": r["name"].title(), "score": r["score"]} for i, r in enumerate(kept)]
json.dump({"source": os.environ.get("SOURCE"), "count": len(out), "items": out}, sys.stdout,
          indent=2, sort_keys=True)
print()
