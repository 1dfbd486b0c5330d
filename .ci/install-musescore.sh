#!/usr/bin/env bash
# Install MuseScore 3 (Debian's musescore3) for tests/test_musescore.py. Idempotent; run as root
# on Debian/Ubuntu. Does nothing when mscore3 already runs.
#
# Running it headless afterwards (what tests/test_musescore.py does for you):
#   QT_QPA_PLATFORM=offscreen   without it mscore3 aborts: "could not connect to display"
#   HOME=<writable folder>      settings (MuseScore3.ini, plugin Settings) and a QML cache go there
#   XDG_RUNTIME_DIR=<0700 dir>  optional; otherwise a warning on every start
set -euo pipefail

headless_version() {
    QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/tmp}" mscore3 --version 2>/dev/null
}

if command -v mscore3 >/dev/null 2>&1 && headless_version | grep -q '^MuseScore3 3\.'; then
    echo "install-musescore: $(headless_version) already installed"
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    SUDO=sudo
else
    SUDO=
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# musescore3 pulls in the QML modules the plugin imports (QtQuick, Controls 1, Dialogs, Layouts);
# Qt.labs.settings (plugin settings) is named explicitly because not every release depends on it.
# --no-install-recommends keeps out the sound fonts and the desktop extras (~300 MB less).
$SUDO apt-get install -y -qq --no-install-recommends \
    musescore3 \
    qml-module-qt-labs-settings \
    qml-module-qtquick-controls \
    qml-module-qtquick-dialogs \
    qml-module-qtquick-layouts \
    qml-module-qtquick2

version="$(headless_version || true)"
if ! echo "$version" | grep -q '^MuseScore3 3\.'; then
    echo "install-musescore: mscore3 does not run headless after installing (got: ${version:-nothing})" >&2
    exit 1
fi
echo "install-musescore: $version"
