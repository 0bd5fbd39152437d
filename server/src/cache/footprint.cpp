#include "cache/footprint.hpp"

#include "crypto/guarded_key.hpp"

namespace tessera::cache {
namespace {

// Heap bytes beyond sizeof: short strings live inside the object (SSO).
std::size_t heap(const std::string& text) {
  constexpr std::size_t kInline = 15;
  return text.capacity() > kInline ? text.capacity() + 1 : 0;
}

template <typename T, typename Each>
std::size_t heap(const std::vector<T>& items, Each each) {
  std::size_t bytes = items.capacity() * sizeof(T);
  for (const auto& item : items) bytes += each(item);
  return bytes;
}

std::size_t heap_of_string(const std::string& text) {
  return heap(text);
}

}  // namespace

std::size_t footprint(const std::string& text) {
  return sizeof text + heap(text);
}

std::size_t footprint(const domain::TenantView& view) {
  const auto& t = view.tenant;
  std::size_t bytes = sizeof view + heap(t.slug) + heap(t.name) + heap(t.domains, heap_of_string);
  bytes += heap(view.apis, [](const domain::Api& api) {
    return heap(api.identifier) + heap(api.name) + heap(api.scopes, [](const domain::ApiScope& s) {
             return heap(s.value) + heap(s.description);
           });
  });
  // What OpenSSL allocates for a key it holds, roughly: an RSA 2048 key's
  // numbers (with the private CRT values) and an EC key's point and scalar,
  // with their structures around them.
  constexpr std::size_t kPublicPkey = 1024;
  constexpr std::size_t kPrivatePkey = 4096;
  bytes += heap(view.keys, [](const domain::PublishedKey& key) {
    return heap(key.kid) + heap(key.public_key) + heap(key.sealed_private_key) +
           (key.jwk_members.is_null() ? 0 : 2 * key.jwk_members.dump().size()) +
           (key.public_pkey ? kPublicPkey : 0) + (key.private_pkey ? kPrivatePkey : 0) +
           (key.private_key ? crypto::guarded_footprint(key.private_key->size()) : 0);
  });
  return bytes;
}

std::size_t footprint(const domain::ClientView& view) {
  // A std::map node: the pair plus three pointers and a colour.
  constexpr std::size_t kMapNode = 32;
  std::size_t bytes = sizeof view + heap(view.client.client_id.value) + heap(view.client.name);
  bytes += heap(view.secrets, [](const domain::SecretView& secret) {
    return heap(secret.keyed_hash) + heap(secret.argon2_hash);
  });
  for (const auto& [api, scopes] : view.grants) {
    bytes += kMapNode + sizeof api + sizeof scopes + heap(scopes, heap_of_string);
  }
  // A client key: its JSON members (a few small nodes and strings, about
  // twice their text) and, for ES256 and RS256, OpenSSL's key (about 1 KiB).
  constexpr std::size_t kOpenSslKey = 1024;
  bytes += heap(view.keys, [](const crypto::PublicJwk& key) {
    return heap(key.kid) + heap(key.thumbprint) + heap(key.ed25519) +
           2 * key.members.dump().size() + (key.pkey ? kOpenSslKey : 0);
  });
  if (view.client.jwks_uri) bytes += heap(*view.client.jwks_uri);
  // Custom claims, as JSON nodes: about twice their text, as for keys.
  bytes += 2 * view.client.claims.dump().size();
  for (const auto& [api, claims] : view.grant_claims) {
    bytes += kMapNode + sizeof api + sizeof claims + 2 * claims.dump().size();
  }
  return bytes;
}

std::size_t footprint(const store::TokenStatus& status) {
  return sizeof status + heap(status.client_id) + heap(status.scope) + heap(status.token_hash) +
         heap(status.dpop_jkt);
}

}  // namespace tessera::cache
