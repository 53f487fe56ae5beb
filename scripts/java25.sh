# Sourced by the project's scripts: points JAVA_HOME at a JDK 25 or stops with a clear message.
find_jdk25() {
  local candidate version
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25* \
      /usr/lib/jvm/java-25* /usr/lib/jvm/jdk-25* "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")"; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    version=$("$candidate/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
    if [ "${version%%.*}" -ge 25 ] 2>/dev/null; then
      export JAVA_HOME="$candidate"
      export PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
  done
  echo "error: Userfabric needs a JDK 25 (javac included). Install one (e.g. Temurin 25) and set JAVA_HOME to it." >&2
  exit 1
}

find_maven() {
  if command -v mvn >/dev/null 2>&1; then
    MVN=(mvn)
  else
    echo "error: Maven 3.8+ is needed (apt-get install maven)." >&2
    exit 1
  fi
}
