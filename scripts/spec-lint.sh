#!/usr/bin/env bash
# `npm run spec:lint`: spec/v1/openapi.json under the ADR 2.2.1 rules (the vendored Spectral ruleset, with the two
# path-scoped exceptions of scripts/adr-exceptions.yaml) and under Redocly's recommended rules (redocly.yaml).
# Both run from the project's own files, offline: Redocly's telemetry is off (redocly.yaml and REDOCLY_TELEMETRY)
# and its update check is suppressed (it asks registry.npmjs.org when run in a terminal).
# Exit 0 only when both linted the document with 0 errors.
set -uo pipefail
cd "$(dirname "$0")/.."
DOC=spec/v1/openapi.json

ADR_RULESET=scripts/adr-exceptions.yaml ADR_LINT_OFFLINE=1 ADR_LINT_TOOLS="${ADR_LINT_TOOLS:-node_modules/.cache/adr}" scripts/adr/lint.sh "$DOC"
adr=$?

REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true REDOCLY_SUPPRESS_NOTIFICATIONS=true \
  node_modules/.bin/redocly lint "$DOC" --config redocly.yaml --format stylish
redocly=$?

echo "spec:lint: adr exit $adr, redocly exit $redocly"
[ "$adr" -eq 0 ] && [ "$redocly" -eq 0 ]
