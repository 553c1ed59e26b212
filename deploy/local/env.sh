# Sourced by every deploy/local script: finds a JDK 21+ and the project's folders.
# Why a script and not the system java: Helidon 4 needs Java 21+, and machines often default to 17.

MESHPLAY_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
MESHPLAY_CACHE="${MESHPLAY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/meshplay}"
MESHPLAY_RUN="${MESHPLAY_RUN:-$MESHPLAY_ROOT/target/run}"
export MESHPLAY_ROOT MESHPLAY_CACHE MESHPLAY_RUN

meshplay_java_major() { # prints the feature version of the java at $1/bin/java, or nothing
  local v
  v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}')
  echo "${v%%.*}"
}

meshplay_pick_jdk() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(meshplay_java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      export JAVA_HOME="$candidate"
      export PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
    if [ "$candidate" = "${JAVA_HOME:-}" ]; then
      echo "meshplay: JAVA_HOME=$JAVA_HOME is Java $major; looking for a JDK 21+ elsewhere" >&2
    fi
  done
  echo "meshplay: no JDK 21+ found (checked JAVA_HOME and /usr/lib/jvm). Install one (e.g. Temurin 21 or 25) and set JAVA_HOME." >&2
  return 1
}

meshplay_log() { printf '[meshplay %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

meshplay_pick_jdk || exit 1
mkdir -p "$MESHPLAY_CACHE" "$MESHPLAY_RUN"
