#!/usr/bin/env bash
# Installs the Debian packages the tests need (idempotent; needs root or sudo).
#   golang-go, golang-gopkg-gcfg.v1-dev  the real gcfg parser, for the cloud.conf conformance checker
#   golang-github-gophercloud-gophercloud-dev, golang-github-gophercloud-utils-dev
#                                        gophercloud and its clientconfig: the OpenStack CCM's own client, to
#                                        authenticate from our cloud.conf against Keystone (test/conformance/occm-auth)
#   python3-openstacksdk                 the real clouds.yaml reader, for the conversion conformance
#   python3-kubernetes                   the Python Kubernetes client, a peer client of the API emulator
#   python3-jsonschema, python3-jsonpatch  JSON Schema and JSON Patch oracles for the ClusterClass variable
#                                        validator and the cluster actions' patches
#   python3-keystone, postgresql, python3-psycopg2
#                                        a real Keystone on a throwaway PostgreSQL for the identity tests (test/keystone);
#                                        the tests start and stop their own (the package's default cluster is not used)
#   chromium, libkrb5-dev                a real VS Code (code-server) driven by headless Chromium
#   golang-gopkg-yaml.v2-dev             Go's YAML reader (behind sigs.k8s.io/yaml: CAPO, CSPO), an oracle for !!binary and other tags
#   kubectl                              already on these machines; used as a peer client of the emulator
set -euo pipefail
pkgs=(golang-go golang-gopkg-gcfg.v1-dev golang-gopkg-yaml.v2-dev golang-github-gophercloud-gophercloud-dev golang-github-gophercloud-utils-dev
  python3-openstacksdk python3-kubernetes python3-jsonschema python3-jsonpatch python3-keystone postgresql python3-psycopg2
  chromium libkrb5-dev fonts-dejavu-core)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "system packages: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
