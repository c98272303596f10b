#!/usr/bin/env bash
# Installs the Debian packages the tests need (idempotent; needs root or sudo).
#   golang-go, golang-gopkg-gcfg.v1-dev  the real gcfg parser, for the cloud.conf conformance checker
#   golang-github-gophercloud-{gophercloud,utils}-dev  gophercloud 0.12 + clientconfig: the CCM's Keystone auth rules (conformance)
#   python3-openstacksdk                 the real clouds.yaml reader, for the conversion conformance
#   chromium, libkrb5-dev                a real VS Code (code-server) driven by headless Chromium
#   kubectl                              already on these machines; used as a peer client of the emulator
set -euo pipefail
pkgs=(golang-go golang-gopkg-gcfg.v1-dev golang-github-gophercloud-gophercloud-dev golang-github-gophercloud-utils-dev python3-openstacksdk chromium libkrb5-dev fonts-dejavu-core)
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
