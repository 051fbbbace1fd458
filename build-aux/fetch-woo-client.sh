#!/bin/sh
# Installs the official WooCommerce REST API client (npm @woocommerce/woocommerce-rest-api, the
# version pinned in tests/sync/woo-js/package.json) for tests/sync/test-woo.c, which runs it
# against the fake shop to show the fake answers as WooCommerce does.
#
#   build-aux/fetch-woo-client.sh
set -eu
cd "$(dirname "$0")/.."

if ! command -v npm >/dev/null 2>&1; then
  echo "$0: npm is needed (Debian: apt-get install npm)" >&2
  exit 1
fi
npm install --no-audit --no-fund --prefix tests/sync/woo-js >&2
if [ ! -f tests/sync/woo-js/node_modules/@woocommerce/woocommerce-rest-api/index.js ]; then
  echo "$0: the client did not install" >&2
  exit 1
fi
