#!/usr/bin/env bash
# Builds qlow (installing what it needs) and runs every test: the reference
# unit tests (GoogleTest via ctest) and the lit suite (FileCheck, diagnostics,
# execution tests). Ends with one line "N passed, M failed".
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${QLOW_BUILD_DIR:-$root/build}"
"$root/scripts/setup.sh" "$build" || { echo "0 passed, 1 failed"; exit 1; }

log="$(mktemp)"
trap 'rm -f "$log"' EXIT

echo "== unit tests"
(cd "$build" && ctest --output-on-failure -j2) 2>&1 | tee -a "$log"
unit_rc=${PIPESTATUS[0]}

echo "== lit tests"
/usr/lib/llvm-22/bin/lit -sv -j2 "$build/test" 2>&1 | tee -a "$log"
lit_rc=${PIPESTATUS[0]}

echo "== execution tests (compiled models)"
/usr/lib/llvm-22/bin/lit -sv -j2 "$build/test-exec" 2>&1 | tee -a "$log"
exec_rc=${PIPESTATUS[0]}

passed=0
failed=0
if line=$(grep -E "tests passed, [0-9]+ tests failed out of [0-9]+" "$log"); then
  total=$(sed -E 's/.*out of ([0-9]+).*/\1/' <<<"$line")
  bad=$(sed -E 's/.*passed, ([0-9]+) tests failed.*/\1/' <<<"$line")
  passed=$((passed + total - bad))
  failed=$((failed + bad))
fi
# Both lit suites print their own "Passed:" / "Failed:" lines.
sum() { grep -E "^  $1 *: *[0-9]+" "$log" | sed -E 's/^[^:]*: *([0-9]+).*/\1/' |
  awk '{ s += $1 } END { print s + 0 }'; }
passed=$((passed + $(sum Passed)))
for kind in Failed "Unexpectedly Passed" "Timed Out"; do
  failed=$((failed + $(sum "$kind")))
done
if [ "$unit_rc" -ne 0 ] || [ "$lit_rc" -ne 0 ] || [ "$exec_rc" -ne 0 ]; then
  [ "$failed" -gt 0 ] || failed=1
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
