"""The conversion benchmark's peer: openstacksdk (Debian's python3-openstacksdk) resolving every cloud.

Usage: python3 openstacksdk_clouds.py CLOUDS_YAML CLOUD...
Loads CLOUDS_YAML once, resolves each named cloud with OpenStackConfig.get_one (as the Python clients
do) and prints JSON {"ms": time for loading and resolving, "auth_urls": {cloud: auth_url}}. The
interpreter start and the imports are outside the timed part. No network.
"""
import json
import sys
import time
import warnings

from openstack.config import loader


def main():
    path, names = sys.argv[1], sys.argv[2:]
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        started = time.perf_counter()
        config = loader.OpenStackConfig(config_files=[path], secure_files=[], vendor_files=[], load_envvars=False)
        auth_urls = {name: config.get_one(name).config['auth']['auth_url'] for name in names}
        ms = (time.perf_counter() - started) * 1000
    json.dump({'ms': ms, 'auth_urls': auth_urls}, sys.stdout)


if __name__ == '__main__':
    main()
