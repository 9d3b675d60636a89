#!/usr/bin/env bash
# Makes a JDK 25 without jmods/ usable by Fray's prepare-fray goal.
#
# Fray builds its instrumented JDK with `jlink --module-path=<jdk>/jmods --add-modules=ALL-MODULE-PATH`. JDKs that
# link from their own run-time image instead (JEP 493, e.g. Temurin 25) ship no jmods/, so that command finds no
# module. This script lays out <out>/bin/java (the real one) and <out>/bin/jlink (a wrapper that names the modules
# explicitly and drops the empty module path) and Fray is pointed at <out>. A JDK that has jmods/ is used as is.
#
# usage: link-base-jdk.sh <jdk-25-home> <out-dir>
set -euo pipefail
jdk="$1"
out="$2"
if [[ -d "$jdk/jmods" ]]; then
  rm -rf "$out"
  ln -s "$jdk" "$out"
  exit 0
fi
# jdk.jlink cannot be linked from a run-time image, and jdk.jpackage requires it; the test JVM needs neither
modules=$("$jdk/bin/java" --list-modules | sed 's/@.*//' | grep -vx -e jdk.jlink -e jdk.jpackage | paste -sd, -)
rm -rf "$out"
mkdir -p "$out/bin"
ln -s "$jdk/bin/java" "$out/bin/java"
cat > "$out/bin/jlink" <<WRAPPER
#!/usr/bin/env bash
args=()
for arg in "\$@"; do
  case "\$arg" in
    --module-path=*/jmods) ;;
    --add-modules=ALL-MODULE-PATH) args+=("--add-modules=$modules") ;;
    *) args+=("\$arg") ;;
  esac
done
exec "$jdk/bin/jlink" "\${args[@]}"
WRAPPER
chmod +x "$out/bin/jlink"
