"""openstacksdk oracle: resolves clouds.yaml inputs the way the Python clients do.

Reads a JSON list of cases on stdin ({name, clouds, secure?, public?, cloud}) and prints a JSON list of
{name, ok, auth, region_name, interface, auth_type, verify, insecure, cacert, error}. Runs with the
system python3 and Debian's python3-openstacksdk; no network (URL profiles are refused up front).
"""
import json
import os
import sys
import tempfile
import warnings

from openstack.config import loader


def mark(v):
    """Text and booleans as they are; bytes (YAML !!binary) as their UTF-8 text behind a marker; others typed."""
    if isinstance(v, (str, bool)) or v is None:
        return v
    if isinstance(v, bytes):
        try:
            return '<bytes:utf-8> ' + v.decode('utf-8')
        except UnicodeDecodeError:
            return '<bytes> %r' % v
    return '<%s> %s' % (type(v).__name__, v)


def resolve(case, tmp):
    paths = {}
    for kind in ('clouds', 'secure', 'public'):
        if case.get(kind) is not None:
            path = os.path.join(tmp, case['name'] + '-' + kind + '.yaml')
            with open(path, 'w', encoding='utf-8') as f:
                f.write(case[kind])
            paths[kind] = path
    if '://' in (case.get('clouds') or '').split('profile:', 1)[-1].split('\n', 1)[0]:
        return {'ok': False, 'error': 'URL profile (needs network)'}
    config = loader.OpenStackConfig(
        config_files=[paths['clouds']],
        secure_files=[paths['secure']] if 'secure' in paths else [],
        vendor_files=[paths['public']] if 'public' in paths else [],
        load_envvars=False,
    )
    validated = True
    try:
        region = config.get_one(case['cloud'])
    except Exception as first:  # noqa: BLE001 - keystoneauth raises many types
        validated = False
        try:
            region = config.get_one(case['cloud'], validate=False)
        except Exception as second:  # noqa: BLE001
            return {'ok': False, 'error': '%s: %s' % (type(second).__name__, second)}
        first_error = '%s: %s' % (type(first).__name__, first)
    c = region.config
    out = {
        'ok': True,
        'validated': validated,
        # values that are not text (a date, a list) are marked with their type so they never pass for text
        'auth': {k: mark(v) for k, v in c.get('auth', {}).items()},
        'region_name': mark(region.region_name),
        'interface': mark(c.get('interface')),
        'auth_type': c.get('auth_type'),
        'verify': c.get('verify'),
        'insecure': c.get('insecure'),
        'cacert': c.get('cacert'),
    }
    if not validated:
        out['validate_error'] = first_error
    return out


def main():
    cases = json.load(sys.stdin)
    results = []
    with tempfile.TemporaryDirectory() as tmp, warnings.catch_warnings():
        warnings.simplefilter('ignore')
        for case in cases:
            try:
                r = resolve(case, tmp)
            except Exception as e:  # noqa: BLE001
                r = {'ok': False, 'error': '%s: %s' % (type(e).__name__, e)}
            r['name'] = case['name']
            results.append(r)
    json.dump(results, sys.stdout, indent=1, default=str)


if __name__ == '__main__':
    main()
