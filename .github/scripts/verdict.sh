#!/usr/bin/env bash
# Run one conformance command in CI and turn its exit code into the job's verdict:
#   0 -> CONFORMS: the job passes;
#   1 -> DOES NOT CONFORM: an error annotation, and the job fails;
#   2 -> INCOMPLETE or ERROR (nothing proven: a token that cannot void, an unreachable deployment,
#        an interrupted run, a fuzz budget spent before any void, secrets missing): the job fails
#        too, unless CAMPFIRE_ALLOW_INCOMPLETE is "yes" (the one line in the workflow's env), which
#        turns it into a warning.
# Usage: verdict.sh NAME [--exit-code-from SUMMARY.json] -- COMMAND...
# `make` turns any failure of its recipe into exit 2; with --exit-code-from, the command's own
# code is read from the summary the command wrote (its "exit_code").
set -uo pipefail
name=$1
shift
summary_file=""
if [ "${1:-}" = "--exit-code-from" ]; then
  summary_file=$2
  shift 2
  rm -f "$summary_file"
fi
[ "${1:-}" = "--" ] && shift

note() {  # note TEXT: the job summary (a file on GitHub, standard output elsewhere)
  echo "$1" >> "${GITHUB_STEP_SUMMARY:-/dev/stdout}"
}

nothing_proven() {  # nothing_proven WHY: fail the job, or warn when the workflow opted out
  if [ "${CAMPFIRE_ALLOW_INCOMPLETE:-no}" = "yes" ]; then
    echo "::warning title=${name}: nothing proven::$1 (passing anyway: CAMPFIRE_ALLOW_INCOMPLETE is yes)"
    note "**${name}: nothing proven** (allowed by CAMPFIRE_ALLOW_INCOMPLETE): $1"
    exit 0
  fi
  echo "::error title=${name}: nothing proven::$1"
  note "**${name}: nothing proven**: $1"
  exit 2
}

if [ -z "${CAMPFIRE_TARGET_URL:-}" ] || [ -z "${CAMPFIRE_TARGET_TOKEN:-}" ]; then
  nothing_proven "ERROR: set the repository secrets CAMPFIRE_TARGET_URL and CAMPFIRE_TARGET_TOKEN"
fi

"$@"
code=$?
if [ -n "$summary_file" ] && [ -f "$summary_file" ]; then
  code=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["exit_code"])' "$summary_file")
fi
case $code in
  0)
    note "**${name}: CONFORMS** against ${CAMPFIRE_TARGET_URL}."
    ;;
  1)
    echo "::error title=${name}: DOES NOT CONFORM::${CAMPFIRE_TARGET_URL} broke the contract; open the HTML report in this run's artifacts"
    note "**${name}: DOES NOT CONFORM** against ${CAMPFIRE_TARGET_URL}: see the HTML report in the artifacts."
    exit 1
    ;;
  *)
    nothing_proven "INCOMPLETE or ERROR against ${CAMPFIRE_TARGET_URL} (exit code ${code}); the log of this step says why"
    ;;
esac
