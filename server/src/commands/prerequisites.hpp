#pragma once

#include "config/config.hpp"
#include "crypto/key_ring.hpp"

namespace tessera::commands {

// What the commands that touch data check first.

// Throws when a migration built into this binary is not applied yet.
void require_migrated(const config::Config& config);

// The configured master keys (TESSERA_MASTER_KEY, TESSERA_PREVIOUS_MASTER_KEYS)
// numbered in the database (store/postgres/master_key_registry.hpp). Throws
// ConfigError without TESSERA_MASTER_KEY, MasterKeyMismatch when the keys do
// not fit the database.
crypto::MasterKeyRing number_master_keys(const config::Config& config);

}  // namespace tessera::commands
