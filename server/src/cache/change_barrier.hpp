#pragma once

namespace tessera::cache {

// Makes a change visible on this instance at once (SPEC §4): called after a
// change committed, and before it is reported done, it returns once this
// instance's caches reflect every change committed before the call, or
// bypasses them until they do.
class ChangeBarrier {
 public:
  virtual ~ChangeBarrier() = default;
  virtual void wait_for_committed_changes() = 0;
};

}  // namespace tessera::cache
