"""PyYAML oracle: what yaml.safe_load (openstacksdk's loader) makes of YAML documents.

Reads a JSON list of base64-encoded documents on stdin and prints a JSON list of {ok, value} or
{ok: false, error}. Strings stay strings; bytes (!!binary) become {"$bytes": base64}; dates and other
scalars are marked with their type, so nothing passes for text that is not text.
"""
import base64
import datetime
import json
import sys

import yaml


def plain(v):
    if isinstance(v, dict):
        return {str(k): plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [plain(x) for x in v]
    if isinstance(v, bytes):
        return {'$bytes': base64.b64encode(v).decode()}
    if isinstance(v, (datetime.date, datetime.datetime)):
        return {'$time': str(v)}
    if isinstance(v, (str, bool)) or v is None:
        return v
    return {'$' + type(v).__name__: str(v)}


def main():
    out = []
    for b64 in json.load(sys.stdin):
        try:
            out.append({'ok': True, 'value': plain(yaml.safe_load(base64.b64decode(b64)))})
        except Exception as e:  # noqa: BLE001 - PyYAML raises many types
            out.append({'ok': False, 'error': '%s: %s' % (type(e).__name__, e)})
    json.dump(out, sys.stdout)


if __name__ == '__main__':
    main()
