#!/bin/sh
# Install this custmd bundle for the current user (no root needed):
#   ./install.sh [TARGET]    default TARGET: ~/.local/opt/custmd
# puts the folder there, links ~/.local/bin/custmd, and adds the menu entry and its icon.
# Uninstall: remove TARGET, ~/.local/bin/custmd, ~/.local/share/applications/custmd.desktop
# and ~/.local/share/icons/hicolor/scalable/apps/custmd.svg. Your data stay in
# ~/.local/share/custmd and your settings in ~/.config/custmd.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
target="${1:-$HOME/.local/opt/custmd}"
data="${XDG_DATA_HOME:-$HOME/.local/share}"

if [ "$here" != "$target" ]; then
  mkdir -p "$(dirname "$target")"
  rm -rf "$target"
  cp -a "$here" "$target"
fi
mkdir -p "$HOME/.local/bin" "$data/applications"
ln -sf "$target/custmd" "$HOME/.local/bin/custmd"

icon="$target/_internal/custmd_gui/_resources/icons/custmd.svg"
if [ -f "$icon" ]; then
  mkdir -p "$data/icons/hicolor/scalable/apps"
  cp "$icon" "$data/icons/hicolor/scalable/apps/custmd.svg"
fi
sed "s|^Exec=.*|Exec=\"$target/custmd\"|" "$here/custmd.desktop" > "$data/applications/custmd.desktop"
command -v update-desktop-database >/dev/null && update-desktop-database "$data/applications" || true
echo "custmd installed in $target; start it from the menu or with: custmd"
