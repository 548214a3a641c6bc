#!/usr/bin/env bash
# House rules checked mechanically (after curl's checksrc): banned unbounded or unsafe functions, SQLite only in
# the store backend, libmicrohttpd only in the HTTP adapter, no unfinished markers, no oversized source files.
set -uo pipefail
cd "$(dirname "$0")/.."
bad=0
report() { echo "style: $*"; bad=1; }

# Calls only: comment lines (" * ...", "/* ...", "// ...") are not code.
hits=$(grep -rnE '\b(sprintf|vsprintf|strcpy|strcat|strncpy|gets|atoi|system)\s*\(' src --include='*.c' --include='*.h' |
       grep -vE '^[^:]+:[0-9]+:\s*(\*|/\*|//)' | grep -vE '\b(snprintf|vsnprintf)\s*\(' || true)
# atoi is allowed only for environment settings in app.c/cmd_serve.c, where a bad value falls back safely.
hits=$(echo "$hits" | grep -vE '^src/(app/app|cli/cmd_serve)\.c:.*atoi\(' | sed '/^$/d')
[ -n "$hits" ] && report "banned functions:
$hits"

hits=$(grep -rlE '#include <sqlite3.h>|\bsqlite3_[a-z_]+\s*\(' src --include='*.c' --include='*.h' |
       grep -v '^src/store/store_sqlite.c$' || true)
[ -n "$hits" ] && report "SQLite used outside src/store/store_sqlite.c: $hits"
hits=$(grep -rlE '#include <microhttpd.h>|\bMHD_[A-Za-z_]+' src --include='*.c' --include='*.h' |
       grep -v '^src/http/server.c$' || true)
[ -n "$hits" ] && report "libmicrohttpd used outside src/http/server.c: $hits"
hits=$(grep -rniE '\b(TODO|FIXME|XXX)\b|not implemented' src || true)
[ -n "$hits" ] && report "unfinished markers:
$hits"
while IFS= read -r f; do
  n=$(wc -l <"$f")
  [ "$n" -gt 700 ] && report "$f has $n lines (split it by responsibility)"
done < <(find src -name '*.c' -o -name '*.h')
if [ $bad -eq 0 ]; then echo "style: ok"; fi
exit $bad
