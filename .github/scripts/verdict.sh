#!/usr/bin/env bash
# Run one conformance command in CI and turn its exit code into the job's verdict:
#   0 -> passed;
#   1 -> the deployment does not conform: an error annotation, and the job fails;
#   2 -> "could not run" (unreachable, token refused, secrets missing, bad deviations file):
#        a warning annotation and a line in the job summary, and the job does not fail, so a
#        red job always means a contract problem.
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

if [ -z "${CAMPFIRE_BASE_URL:-}" ] || [ -z "${CAMPFIRE_TOKEN:-}" ]; then
  echo "::warning title=${name}: could not run::the repository secrets CAMPFIRE_BASE_URL and CAMPFIRE_TOKEN are not set"
  note "**${name}: could not run**: set the repository secrets CAMPFIRE_BASE_URL and CAMPFIRE_TOKEN."
  exit 0
fi

"$@"
code=$?
if [ -n "$summary_file" ] && [ -f "$summary_file" ]; then
  code=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["exit_code"])' "$summary_file")
fi
case $code in
  0)
    note "**${name}: passed** against ${CAMPFIRE_BASE_URL}."
    ;;
  1)
    echo "::error title=${name}: does not conform::${CAMPFIRE_BASE_URL} broke the contract; open the HTML report in this run's artifacts"
    note "**${name}: FAILED** against ${CAMPFIRE_BASE_URL}: see the HTML report in the artifacts."
    exit 1
    ;;
  *)
    echo "::warning title=${name}: could not run::exit code ${code}; see the log of this step"
    note "**${name}: could not run** against ${CAMPFIRE_BASE_URL} (exit code ${code}); see the log."
    ;;
esac
