#!/usr/bin/env bash
# third-party-notices.sh - write THIRD_PARTY_NOTICES: the license of every module linked into the fleettop
# binary, as their BSD and MIT licenses require of binary distributions. Run after changing dependencies;
# cmd/fleettop's TestThirdPartyNoticesListEveryLinkedModule fails while a linked module is missing.
#
#   scripts/third-party-notices.sh > THIRD_PARTY_NOTICES
set -euo pipefail
cd "$(dirname "$0")/.."

echo "fleettop links the following modules into its binary. Their licenses follow."
printf '\n================================================================================\n'
printf 'Go standard library and runtime\n\n'
cat "$(go env GOROOT)/LICENSE"
# every GOOS CI builds, so that a module linked on one system only is listed too
for os in linux darwin freebsd windows; do
  GOOS=$os go list -deps -f '{{with .Module}}{{if not .Main}}{{.Path}} {{.Version}}{{end}}{{end}}' ./cmd/fleettop
done | sort -u | while read -r path version; do
  dir=$(go list -m -f '{{.Dir}}' "$path")
  printf '\n================================================================================\n'
  printf '%s %s\n\n' "$path" "$version"
  found=
  for f in "$dir"/LICENSE* "$dir"/LICENCE* "$dir"/COPYING* "$dir"/NOTICE*; do
    [[ -f $f ]] || continue
    cat "$f"
    found=1
  done
  [[ -n $found ]] || { echo "no license file in $path $version" >&2; exit 1; }
done
