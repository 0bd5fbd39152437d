// The master keys in the configuration (SPEC §2): TESSERA_MASTER_KEY with or
// without padding, TESSERA_PREVIOUS_MASTER_KEYS in order, and errors that
// name the variable (and the entry) without ever echoing a key.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "config/config.hpp"
#include "config_test_env.hpp"

namespace tessera::config {
namespace {

using namespace test;

TEST(LoadConfigTest, AcceptsTheMasterKeyWithAndWithoutPadding) {
  const Config padded =
      load_config(lookup(with(minimal_env(), "TESSERA_MASTER_KEY", kPaddedKey)), 1);
  const Config unpadded =
      load_config(lookup(with(minimal_env(), "TESSERA_MASTER_KEY", kUnpaddedKey)), 1);
  ASSERT_TRUE(padded.master_key.has_value());
  ASSERT_TRUE(unpadded.master_key.has_value());
  EXPECT_EQ(padded.master_key->derive(crypto::KeyPurpose::token_hash),
            unpadded.master_key->derive(crypto::KeyPurpose::token_hash));
}

TEST(LoadConfigTest, RefusesAMasterKeyThatIsNot32Base64UrlBytesWithoutEchoingIt) {
  const std::vector<std::string> keys = {
      key_of_size(31),
      key_of_size(33),
      key_of_size(64),
      std::string(kUnpaddedKey).substr(0, 42),
      // Standard base64 alphabet: '+' and '/' are not base64url.
      "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdH+/",
      "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd Hh8",
      "correct-horse-battery-staple-correct-horse",
  };
  for (const auto& key : keys) {
    SCOPED_TRACE(key);
    auto error = error_of(with(minimal_env(), "TESSERA_MASTER_KEY", key));
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->variable(), "TESSERA_MASTER_KEY");
    const std::string message = error->what();
    EXPECT_EQ(message.find(key), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos);
  }
}

TEST(LoadConfigTest, HasNoPreviousMasterKeysWhenTheVariableIsUnsetOrEmpty) {
  EXPECT_TRUE(load_config(lookup(minimal_env()), 1).previous_master_keys.empty());
  EXPECT_TRUE(load_config(lookup(with(minimal_env(), "TESSERA_PREVIOUS_MASTER_KEYS", "")), 1)
                  .previous_master_keys.empty());
}

TEST(LoadConfigTest, ReadsPreviousMasterKeysInTheOrderGivenWithBlanksAroundCommas) {
  const std::string first = key_of_size(32);
  const std::string second = kPaddedKey;
  const Config config = load_config(lookup(with(minimal_env(), "TESSERA_PREVIOUS_MASTER_KEYS",
                                                " " + first + ", \t" + second + " ")),
                                    1);
  ASSERT_EQ(config.previous_master_keys.size(), 2u);
  EXPECT_EQ(config.previous_master_keys[0].fingerprint(),
            crypto::MasterKey::parse(first)->fingerprint());
  EXPECT_EQ(config.previous_master_keys[1].fingerprint(),
            crypto::MasterKey::parse(kUnpaddedKey)->fingerprint());
  EXPECT_EQ(config.previous_master_keys[1].derive(crypto::KeyPurpose::token_hash),
            crypto::MasterKey::parse(kUnpaddedKey)->derive(crypto::KeyPurpose::token_hash));
}

// The variable holds keys: a bad entry is named by its position, and
// neither it nor its good neighbours are echoed into a log.
TEST(LoadConfigTest, RefusesABadPreviousMasterKeyByItsPositionWithoutEchoingIt) {
  const std::string good = kUnpaddedKey;
  struct Case {
    std::string value;
    std::string bad_entry;
    std::string position;
  };
  const std::vector<Case> cases = {
      {good + ", " + key_of_size(31), key_of_size(31), "entry 2"},
      {key_of_size(33) + "," + good, key_of_size(33), "entry 1"},
      {good + "," + good + ",correct-horse-battery-staple-correct-horse",
       "correct-horse-battery-staple-correct-horse", "entry 3"},
      // Standard base64 alphabet: '+' and '/' are not base64url.
      {good + ",AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdH+/",
       "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdH+/", "entry 2"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.position + " of " + c.value);
    auto error = error_of(with(minimal_env(), "TESSERA_PREVIOUS_MASTER_KEYS", c.value));
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->variable(), "TESSERA_PREVIOUS_MASTER_KEYS");
    const std::string message = error->what();
    EXPECT_EQ(message.rfind("TESSERA_PREVIOUS_MASTER_KEYS", 0), 0u) << message;
    EXPECT_NE(message.find(c.position), std::string::npos) << message;
    EXPECT_EQ(message.find(c.bad_entry), std::string::npos) << message;
    EXPECT_EQ(message.find(good), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
}

// "k1,k2," is a typo, not two keys: the empty entry is an error, named.
TEST(LoadConfigTest, RefusesAnEmptyPreviousMasterKeyEntryFromAStrayComma) {
  const std::string good = kUnpaddedKey;
  struct Case {
    std::string value;
    std::string position;
  };
  const std::vector<Case> cases = {
      {good + ",", "entry 2"},
      {good + ", ", "entry 2"},
      {"," + good, "entry 1"},
      {good + ",," + good, "entry 2"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.value);
    auto error = error_of(with(minimal_env(), "TESSERA_PREVIOUS_MASTER_KEYS", c.value));
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->variable(), "TESSERA_PREVIOUS_MASTER_KEYS");
    const std::string message = error->what();
    EXPECT_NE(message.find(c.position), std::string::npos) << message;
    EXPECT_EQ(message.find(good), std::string::npos) << message;
  }
}

TEST(RequireMasterKeyTest, ThrowsNamingTheVariableWhenTheKeyIsMissing) {
  const Config config = load_config(lookup(minimal_env()), 2);
  try {
    require_master_key(config);
    FAIL() << "require_master_key accepted a configuration without a key";
  } catch (const ConfigError& error) {
    EXPECT_EQ(error.variable(), "TESSERA_MASTER_KEY");
    EXPECT_NE(std::string(error.what()).find("TESSERA_MASTER_KEY"), std::string::npos);
  }
}

TEST(RequireMasterKeyTest, ReturnsTheConfiguredKey) {
  const Config config =
      load_config(lookup(with(minimal_env(), "TESSERA_MASTER_KEY", kUnpaddedKey)), 2);
  const auto& key = require_master_key(config);
  EXPECT_EQ(key.derive(crypto::KeyPurpose::admin_key_hash),
            config.master_key->derive(crypto::KeyPurpose::admin_key_hash));
}

}  // namespace
}  // namespace tessera::config
