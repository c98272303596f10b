"""Oracle for the cluster actions' patches: Debian's python3-jsonpatch (RFC 6902).

Reads {"cases": [{"doc": ..., "ops": [...]}]} on stdin; prints per case the patched document or the error.
"""
import json
import sys

import jsonpatch

out = []
for c in json.load(sys.stdin)["cases"]:
    try:
        out.append({"ok": True, "doc": jsonpatch.apply_patch(c["doc"], c["ops"])})
    except (jsonpatch.JsonPatchException, jsonpatch.JsonPointerException) as err:
        out.append({"ok": False, "error": str(err)})
json.dump(out, sys.stdout)
