#pragma once

namespace tessera::endpoints {

// Where a request's step runs, which bounds what it may do: a reactor
// thread never blocks; a worker may read the database; only the Argon2id
// pool checks imported secrets, so that a burst of them cannot take the
// workers that load caches and serve everything else (SPEC §6).
enum class Stage { reactor, worker, argon2 };

}  // namespace tessera::endpoints
