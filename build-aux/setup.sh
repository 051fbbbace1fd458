#!/usr/bin/env bash
# Sets up Clientele on Debian 12 (bookworm) and builds it.
#
#   build-aux/setup.sh            install what is missing, configure and build (_build/)
#   build-aux/setup.sh test       … then run every test (meson test), as CI does
#   build-aux/setup.sh run        … then start the app on a generated sample shop
#
# Run as root (or with sudo available) on a fresh machine: packages come from apt,
# the csv-spectrum test corpus from npm.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
build=${BUILD_DIR:-_build}
mode=${1:-build}

packages=(
  build-essential meson ninja-build pkg-config gettext git
  libglib2.0-dev libgtk-4-dev libadwaita-1-dev libsqlite3-dev sqlite3
  libsoup-3.0-dev libjson-glib-dev libsecret-1-dev libcairo2-dev libpango1.0-dev libicu-dev
  # Member cards: the QR code.
  libqrencode-dev
  # Campaigns: MIME messages and the SMTP transport.
  libgmime-3.0-dev libcurl4-openssl-dev
  # Encrypted backups (Argon2id, XChaCha20-Poly1305 secretstream).
  libsodium-dev
  desktop-file-utils appstream-util
  xvfb xauth dbus dbus-x11 imagemagick fonts-noto-cjk locales
  python3-pandas poppler-utils clang llvm
  # Sync tests: a keyring in the test's D-Bus session, a CardDAV server, a self-signed certificate.
  gnome-keyring libsecret-tools radicale openssl
  # Campaign tests: a real SMTP server (aiosmtpd) on a loopback port.
  python3-aiosmtpd
  # Recommends that matter here (the install skips recommends): libFuzzer's runtime,
  # GTK's SVG icon loader and tools, the icon theme.
  libclang-rt-14-dev librsvg2-common libgtk-4-bin adwaita-icon-theme iso-codes
)
# npm fetches the csv-spectrum corpus; a machine may already have Node.js from
# elsewhere (then Debian's npm would conflict with it).
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The UI tests check the Chinese translation under a real zh_CN.UTF-8 locale.
if ! locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\?8$'; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo localedef -i zh_CN -f UTF-8 zh_CN.UTF-8 || echo "setup: could not generate zh_CN.UTF-8" >&2
fi
# A locale with a decimal comma: stored limits must stay valid JSON under it.
if ! locale -a 2>/dev/null | grep -qi '^de_DE\.utf-\?8$'; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo localedef -i de_DE -f UTF-8 de_DE.UTF-8 || echo "setup: could not generate de_DE.UTF-8" >&2
fi

# Test corpus for the CSV reader (npm package csv-spectrum).
# tests/meson.build points CSV_SPECTRUM_DIR at it.
if [ ! -d _deps/node_modules/csv-spectrum ]; then
  build-aux/fetch-csv-spectrum.sh _deps
fi
# The official WooCommerce client (npm) that tests/sync/test-woo.c runs against the fake shop.
if [ ! -d tests/sync/woo-js/node_modules/@woocommerce/woocommerce-rest-api ]; then
  build-aux/fetch-woo-client.sh
fi

werror=false
[ "${CI:-}" = "true" ] && werror=true
if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" -Dwerror=$werror
else
  meson configure "$build" -Dwerror=$werror >/dev/null
fi
ninja -C "$build"

case "$mode" in
  build) ;;
  test)
    meson test -C "$build" --print-errorlogs --num-processes 2
    ;;
  run)
    # From the build tree: the compiled schema lives in _build/data.
    case $build in /*) abs=$build ;; *) abs=$here/$build ;; esac
    GSETTINGS_SCHEMA_DIR="$abs/data" exec "$abs/src/clientele" --demo
    ;;
  *)
    echo "usage: $0 [build|test|run]" >&2
    exit 2
    ;;
esac
