#!/bin/sh
# The `bootstrap` service of docker-compose.yml: on the first `docker compose
# up`, once `tessera migrate` has succeeded, creates a superadmin key, writes
# it to $TESSERA_BOOTSTRAP_DIR/admin-key (mode 0600, in the `bootstrap`
# volume) and prints it on stdout this once. On every later `up` the file is
# there and nothing is created: one key, however often the stack starts.
#
# Plain POSIX sh (the image has no bash), and testable outside Docker:
#   TESSERA_BOOTSTRAP_DIR=/tmp/b TESSERA_BIN=build/bin/tessera \
#   TESSERA_DATABASE_URL=… TESSERA_MASTER_KEY=… scripts/docker/bootstrap.sh
set -eu

dir=${TESSERA_BOOTSTRAP_DIR:-/bootstrap}
tessera=${TESSERA_BIN:-tessera}
key_file="$dir/admin-key"

say() { printf 'bootstrap: %s\n' "$*" >&2; }

if [ -s "$key_file" ]; then
  say "a superadmin key was created on an earlier start ($key_file); nothing to do"
  exit 0
fi
if [ ! -d "$dir" ] || [ ! -w "$dir" ]; then
  say "$dir is not a writable directory"
  exit 1
fi

# The key is written to a file of this run first and renamed into place only
# once complete, so a crash half-way never leaves a partial key that a later
# start would take for the real one (it makes a new key instead).
umask 077
partial="$dir/.admin-key.$$"
trap 'rm -f "$partial"' EXIT
"$tessera" admin-key create --superadmin --name "${TESSERA_BOOTSTRAP_KEY_NAME:-bootstrap}" >"$partial"
key=$(cat "$partial")
case $key in
  tsk_*) ;;
  *) say "tessera admin-key create printed no key"; exit 1 ;;
esac
chmod 600 "$partial"
mv "$partial" "$key_file"
trap - EXIT

say "superadmin key created and written to $key_file; it is shown this once:"
printf '%s\n' "$key"
