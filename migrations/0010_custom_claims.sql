-- Custom claims (docs/oauth.md, "Custom claims"): static claims a client's
-- tokens carry, set on the client and on each of its grants (a grant's
-- override the client's of the same name). Added to JWTs and to
-- introspection answers. A JSON object; the server refuses reserved names
-- and bounds the size before writing.
ALTER TABLE clients
  ADD COLUMN claims jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(claims) = 'object');
ALTER TABLE grants
  ADD COLUMN claims jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(claims) = 'object');
