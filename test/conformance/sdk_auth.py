"""openstacksdk authentication oracle: authenticates from a clouds.yaml against a real Keystone.

Reads a JSON list of cases {clouds, cloud} (clouds: a clouds.yaml path) on stdin and prints a JSON
list of {ok, stage, error, project, user, roles, endpoints}; endpoints per consumer service type
(identity, compute, network, load-balancer, block-storage) for the cloud's region and interface,
looked up in the token's catalog as keystoneauth does (service-type aliases included). Runs with the
system python3 and Debian's python3-openstacksdk. The token is never printed.
"""
import json
import sys
import warnings

import openstack
from openstack.config import loader

SERVICES = ('identity', 'compute', 'network', 'load-balancer', 'block-storage')


def probe(case):
    try:
        config = loader.OpenStackConfig(config_files=[case['clouds']], load_envvars=False)
        region = config.get_one(case['cloud'])
    except Exception as e:  # noqa: BLE001 - keystoneauth raises many types
        return {'ok': False, 'stage': 'config', 'error': '%s: %s' % (type(e).__name__, e)}
    try:
        conn = openstack.connection.Connection(config=region)
        conn.authorize()
        access = conn.session.auth.get_access(conn.session)
    except Exception as e:  # noqa: BLE001
        return {'ok': False, 'stage': 'auth', 'error': '%s: %s' % (type(e).__name__, e)}
    out = {
        'ok': True,
        'project': {'id': access.project_id, 'name': access.project_name} if access.project_id else None,
        'user': {'id': access.user_id, 'name': access.username},
        'roles': sorted(access.role_names or []),
        'endpoints': {},
    }
    interface = region.get_interface() or 'public'
    for service in SERVICES:
        try:
            url = access.service_catalog.url_for(service_type=service, interface=interface, region_name=region.region_name)
            out['endpoints'][service] = {'url': url}
        except Exception as e:  # noqa: BLE001
            out['endpoints'][service] = {'error': '%s: %s' % (type(e).__name__, e)}
            out['ok'] = False
            out['stage'] = 'endpoints'
    return out


def main():
    warnings.simplefilter('ignore')
    cases = json.load(sys.stdin)
    json.dump([probe(c) for c in cases], sys.stdout)


if __name__ == '__main__':
    main()
