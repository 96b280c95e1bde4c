#!/bin/sh
# Casustafel: per-user install of the frozen Linux build, without root.
#
#   packaging/linux/install-linux.sh [BUNDLE]     install or update
#   packaging/linux/install-linux.sh --uninstall  remove it again
#
# BUNDLE is the folder packaging/build.py made (default: dist/casustafel of this checkout,
# or the folder this script sits in when it was shipped inside the bundle).  It goes to
# ~/.local/opt/casustafel, the command to ~/.local/bin/casustafel (a link) and the desktop
# entry to ~/.local/share/applications/casustafel.desktop.  Nothing outside $HOME is touched.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
DATA_HOME=${XDG_DATA_HOME:-$HOME/.local/share}
PREFIX=${CASUSTAFEL_PREFIX:-$HOME/.local/opt/casustafel}
BIN_DIR=$HOME/.local/bin
APPS=$DATA_HOME/applications
ENTRY=$APPS/casustafel.desktop

if [ "${1:-}" = "--uninstall" ]; then
    rm -f "$ENTRY"
    if [ -L "$BIN_DIR/casustafel" ]; then rm -f "$BIN_DIR/casustafel"; fi
    rm -rf "$PREFIX"
    command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$APPS" || true
    echo "Casustafel removed from $PREFIX"
    exit 0
fi

if [ $# -ge 1 ]; then
    BUNDLE=$1
elif [ -x "$HERE/casustafel" ]; then
    BUNDLE=$HERE
else
    BUNDLE=$HERE/../../dist/casustafel
fi
BUNDLE=$(cd "$BUNDLE" && pwd)
if [ ! -x "$BUNDLE/casustafel" ]; then
    echo "no frozen build in $BUNDLE (run: python packaging/build.py)" >&2
    exit 1
fi
TEMPLATE=$BUNDLE/casustafel.desktop
[ -f "$TEMPLATE" ] || TEMPLATE=$HERE/../casustafel.desktop

# Copy next to the old version, then swap, so a failed copy leaves the old one working.
mkdir -p "$(dirname "$PREFIX")" "$BIN_DIR" "$APPS"
rm -rf "$PREFIX.new"
cp -a "$BUNDLE" "$PREFIX.new"
rm -rf "$PREFIX"
mv "$PREFIX.new" "$PREFIX"
ln -sfn "$PREFIX/casustafel" "$BIN_DIR/casustafel"

# The shipped entry runs "casustafel" from PATH; ~/.local/bin may not be on a desktop
# session's PATH, so the installed entry names the program by its full path.
sed "s|^Exec=.*|Exec=\"$PREFIX/casustafel\"|" "$TEMPLATE" > "$ENTRY.tmp"
mv "$ENTRY.tmp" "$ENTRY"
chmod 0644 "$ENTRY"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$APPS" || true

echo "Casustafel installed in $PREFIX"
echo "desktop entry: $ENTRY; command: $BIN_DIR/casustafel"
