#include "crypto/signing_keys.hpp"

#include <sodium.h>

#include "crypto/ed25519.hpp"
#include "crypto/random.hpp"
#include "crypto/sealed.hpp"

namespace tessera::crypto {

std::string signing_key_associated_data(domain::TenantId tenant, const std::string& kid) {
  return "tessera-signing-key:" + std::to_string(tenant.value) + ":" + kid;
}

domain::NewSigningKey make_signing_key(const SubKeyRing& seal_keys, domain::TenantId tenant,
                                       domain::SigningAlg alg, domain::SigningKeyState state) {
  const SubKey& seal_key = seal_keys.current();
  domain::NewSigningKey key;
  key.master_key = seal_keys.current_id();
  key.kid = random_token(12);
  key.alg = alg;
  key.state = state;
  const auto associated = signing_key_associated_data(tenant, key.kid);
  if (alg == domain::SigningAlg::eddsa) {
    auto pair = ed25519_generate();
    key.public_key = pair.public_key;
    key.sealed_private_key = seal(seal_key, pair.secret_key, associated);
    sodium_memzero(pair.secret_key.data(), pair.secret_key.size());
  } else {
    auto pair = pkey_generate(alg);
    key.public_key = pair.public_der;
    key.sealed_private_key = seal(seal_key, pair.private_der, associated);
    sodium_memzero(pair.private_der.data(), pair.private_der.size());
  }
  return key;
}

domain::NewSigningKey make_signing_key(const SubKeyRing& seal_keys, domain::TenantId tenant,
                                       domain::SigningKeyState state) {
  return make_signing_key(seal_keys, tenant, domain::SigningAlg::eddsa, state);
}

std::optional<Ed25519SecretKey> open_signing_key(const SubKey& seal_key, domain::TenantId tenant,
                                                 const std::string& kid,
                                                 std::string_view sealed_private_key) {
  bool opened = false;
  auto secret = Ed25519SecretKey::make([&](unsigned char* out) {
    opened =
        open_sealed_into(seal_key, sealed_private_key, signing_key_associated_data(tenant, kid),
                         out, Ed25519SecretKey::kSize);
  });
  if (!opened) return std::nullopt;  // the region goes, zeroed, with `secret`
  return secret;
}

std::optional<PrivatePkey> open_pkey_signing_key(const SubKey& seal_key, domain::TenantId tenant,
                                                 domain::SigningAlg alg, const std::string& kid,
                                                 std::string_view sealed_private_key) {
  auto der = open_sealed(seal_key, sealed_private_key, signing_key_associated_data(tenant, kid));
  if (!der) return std::nullopt;
  auto key = PrivatePkey::from_der(alg, *der);
  sodium_memzero(der->data(), der->size());
  return key;
}

}  // namespace tessera::crypto
