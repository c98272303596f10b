"""Oracle for the ClusterClass variable validator: Debian's python3-jsonschema (Draft 7).

Reads {"cases": [{"schema": ..., "value": ...}, ...]} on stdin and prints, per case, whether the schema is a
valid draft-07 schema and every error as [instance path, keyword, property] (property: the missing or
extra field of a required / additionalProperties error, else null).

String formats: only those the Kubernetes API server checks (kubernetes/kube-openapi pkg/validation/strfmt
default.go), registered here with Python's own parsers: ipaddress for ipv4/ipv6/cidr, and the strfmt UUID
patterns (upstream data) run by Python's re.
"""
import ipaddress
import json
import re
import sys

from jsonschema import Draft7Validator, FormatChecker
from jsonschema.exceptions import SchemaError

checker = FormatChecker(formats=())

UUID = {
    "uuid": r"(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$",
    "uuid3": r"(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}$",
    "uuid4": r"(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$",
    "uuid5": r"(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$",
}


def uuid_checker(pattern):
    rx = re.compile(pattern)
    # re's $ also matches before a final newline; Go's RE2 does not: fullmatch-like check.
    return lambda s: not isinstance(s, str) or (rx.search(s) is not None and not s.endswith("\n"))


for name, pattern in UUID.items():
    checker.checks(name)(uuid_checker(pattern))


def ip(s):
    if "%" in s:
        return None
    try:
        return ipaddress.ip_address(s)
    except ValueError:
        return None


@checker.checks("ipv4")
def is_ipv4(s):
    return not isinstance(s, str) or (ip(s) is not None and "." in s)


@checker.checks("ipv6")
def is_ipv6(s):
    return not isinstance(s, str) or (ip(s) is not None and ":" in s)


@checker.checks("cidr")
def is_cidr(s):
    if not isinstance(s, str):
        return True
    addr, sep, mask = s.partition("/")
    if not sep or not (mask.isascii() and mask.isdigit()):
        return False
    a = ip(addr)
    return a is not None and int(mask) <= (32 if a.version == 4 else 128)


def errors(validator, value):
    out = []
    for e in validator.iter_errors(value):
        path = list(e.absolute_path)
        if e.validator == "required":
            for p in e.validator_value:
                if isinstance(e.instance, dict) and p not in e.instance:
                    out.append([path, "required", p])
        elif e.validator == "additionalProperties" and e.validator_value is False:
            props = e.schema.get("properties", {})
            for k in e.instance:
                if k not in props:
                    out.append([path, "additionalProperties", k])
        else:
            out.append([path, e.validator, None])
    return out


def main():
    cases = json.load(sys.stdin)["cases"]
    results = []
    for c in cases:
        try:
            Draft7Validator.check_schema(c["schema"])
        except SchemaError as err:
            results.append({"schemaOk": False, "schemaError": err.message, "errors": []})
            continue
        v = Draft7Validator(c["schema"], format_checker=checker)
        results.append({"schemaOk": True, "errors": errors(v, c["value"])})
    json.dump(results, sys.stdout)


main()
