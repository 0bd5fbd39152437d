#!/bin/sh
# The `tessctl` service of docker-compose.yml: tessctl with the superadmin key
# that the bootstrap service wrote, so that `docker compose run --rm tessctl
# tenant list` needs no key on its command line. An explicit
# TESSCTL_ADMIN_KEY (or --key) still wins.
set -eu

if [ -z "${TESSCTL_ADMIN_KEY:-}" ]; then
  key_file=${TESSERA_BOOTSTRAP_DIR:-/bootstrap}/admin-key
  if [ ! -r "$key_file" ]; then
    echo "tessctl: no admin key: $key_file is missing (has the bootstrap service run?)" >&2
    exit 2
  fi
  TESSCTL_ADMIN_KEY=$(cat "$key_file")
  export TESSCTL_ADMIN_KEY
fi
exec "${TESSCTL_BIN:-tessctl}" "$@"
