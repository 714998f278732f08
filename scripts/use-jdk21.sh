# Sourced by .ci/run and localstack/run.sh: points JAVA_HOME at a JDK >= 21.
# Keeps a JAVA_HOME that is already new enough; otherwise takes the newest JDK found under /usr/lib/jvm
# (or the java on PATH). Machines often have an older default JDK beside a newer one.
java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | cut -d. -f1
}
pick_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ "$(java_major "$JAVA_HOME")" -ge 21 ] 2>/dev/null; then
    echo "$JAVA_HOME"; return 0
  fi
  best=""; best_major=0
  for home in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -x "$home/bin/javac" ] || continue
    major=$(java_major "$home")
    if [ -n "$major" ] && [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then best="$home"; best_major=$major; fi
  done
  if [ -z "$best" ] && command -v java >/dev/null 2>&1; then
    home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    [ "$(java_major "$home")" -ge 21 ] 2>/dev/null && best="$home"
  fi
  [ -n "$best" ] && echo "$best"
}
JAVA_HOME=$(pick_jdk) || true
if [ -z "${JAVA_HOME:-}" ]; then
  echo "TileMUD needs a JDK 21 or newer: install one (e.g. Temurin 21) and set JAVA_HOME." >&2
  exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
