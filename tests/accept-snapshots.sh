#!/usr/bin/env bash
# Accepts the template snapshots the last test run received: moves every
# Snapshots/<variant>.received.txt over its <variant>.snap.txt. Review `git diff` afterwards.
# (Alternative: SAASSTARTER_ACCEPT_SNAPSHOTS=1 dotnet test tests/SaasStarter.Template.Tests)
set -euo pipefail
dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/SaasStarter.Template.Tests/Snapshots"
shopt -s nullglob
received=("$dir"/*.received.txt)
if [ ${#received[@]} -eq 0 ]; then
  echo "No received snapshots in $dir: nothing to accept (run the template tests first)."
  exit 0
fi
for file in "${received[@]}"; do
  mv -f "$file" "${file%.received.txt}.snap.txt"
  echo "accepted $(basename "${file%.received.txt}.snap.txt")"
done
