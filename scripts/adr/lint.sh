#!/usr/bin/env bash
# Lint an OpenAPI document against the NLGov REST API Design Rules (ADR)
# Spectral ruleset, offline. See SOURCE.md for where the ruleset comes from.
#
#   usage: lint.sh OPENAPI_FILE_OR_URL
#
# Environment:
#   ADR_RULESET       ADR version (2.2.1, the only one vendored here) or a path
#                     to a Spectral ruleset file.
#   ADR_LINT_OFFLINE  1 = fail on any remote $ref in the document that has no
#                     local copy under vendor/ (default: fetch it).
#   ADR_LINT_TOOLS    where Spectral is installed (default: ./tools).
#
# Prints Spectral's findings, then a last line "adr: N errors, M warnings"
# (a document Spectral does not recognise as OpenAPI counts as an error).
# Exit: 0 = linted, no errors; 1 = linted, one or more errors;
#       2 = could not lint (bad usage, unreadable document, tool failure).
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TOOLS="${ADR_LINT_TOOLS:-$HERE/tools}"
case "$TOOLS" in /*) ;; *) TOOLS="$PWD/$TOOLS" ;; esac
export ADR_LINT_TOOLS="$TOOLS"   # resolver.cjs loads Spectral's modules from here
SPECTRAL="$TOOLS/node_modules/.bin/spectral"
SPECTRAL_VERSION="6.16.3"

die() { echo "adr: $*" >&2; echo "adr: could not lint" >&2; exit 2; }

[ $# -eq 1 ] && [ -n "$1" ] || { echo "usage: $(basename "$0") OPENAPI_FILE_OR_URL" >&2; exit 2; }
DOC="$1"

case "${ADR_RULESET:-2.2.1}" in
  2.2.1|2.2|latest) RULESET="$HERE/ruleset.yaml" ;;
  *)                RULESET="$ADR_RULESET" ;;
esac
[ -f "$RULESET" ] || die "ruleset not found: $RULESET"
abs() { echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }
RULESET="$(abs "$RULESET")"

command -v node >/dev/null || die "node is required (Node.js >= 18)"

# Install the pinned Spectral CLI into tools/ when it is missing.
if [ ! -x "$SPECTRAL" ]; then
  command -v npm >/dev/null || die "npm is required to install Spectral"
  echo "adr: installing @stoplight/spectral-cli@$SPECTRAL_VERSION into $TOOLS" >&2
  mkdir -p "$TOOLS"
  export SCARF_ANALYTICS=false   # @scarf/scarf (a Spectral dependency) phones home on install
  if [ -f "$HERE/toolchain/package-lock.json" ]; then
    cp "$HERE/toolchain/package.json" "$HERE/toolchain/package-lock.json" "$TOOLS/"
    npm ci --prefix "$TOOLS" --ignore-scripts --no-audit --no-fund --loglevel=error >&2 \
      || npm install --prefix "$TOOLS" --ignore-scripts --no-audit --no-fund --loglevel=error \
           "@stoplight/spectral-cli@$SPECTRAL_VERSION" >&2
  else
    npm install --prefix "$TOOLS" --ignore-scripts --no-audit --no-fund --loglevel=error \
      "@stoplight/spectral-cli@$SPECTRAL_VERSION" >&2
  fi
  [ -x "$SPECTRAL" ] || die "Spectral install failed"
fi

# Check a local path first for a clear message; Spectral runs in a scratch dir.
case "$DOC" in
  http://*|https://*) ;;
  *) [ -f "$DOC" ] || die "no such file: $DOC"
     DOC="$(abs "$DOC")" ;;
esac

TMP="$(mktemp -d)"; trap 'rm -rf "$TMP"' EXIT
JSON="$TMP/results.json"

# Run from a scratch dir so no .spectral.* file in the caller's cwd interferes.
( cd "$TMP" && "$SPECTRAL" lint --ruleset "$RULESET" --resolver "$HERE/resolver.cjs" \
    --fail-on-unmatched-globs --show-documentation-url \
    --format stylish --format json --output.json "$JSON" "$DOC" )
rc=$?
# Spectral: 0 = no errors, 1 = errors found, 2 = it could not run.
{ [ "$rc" -eq 0 ] || [ "$rc" -eq 1 ]; } && [ -s "$JSON" ] || die "spectral exited with $rc"

echo "adr: ruleset $RULESET"
node -e '
  let r;
  try { r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); }
  catch (e) { console.error(`adr: unreadable Spectral results: ${e.message}`); process.exit(2); }
  // Spectral only warns when the document is not OpenAPI at all (an HTML page,
  // a bare string); with the ADR rules that can end with 0 errors, so a
  // checker must count it as an error.
  const notOas = (x) => x.code === "unrecognized-format";
  if (r.some(notOas)) console.log("adr: counting unrecognized-format as an error: not an OpenAPI document");
  const errors = r.filter((x) => x.severity === 0 || notOas(x)).length;
  const warnings = r.filter((x) => x.severity === 1 && !notOas(x)).length;
  console.log(`adr: ${errors} errors, ${warnings} warnings`);
  process.exit(errors > 0 ? 1 : 0);
' "$JSON"
