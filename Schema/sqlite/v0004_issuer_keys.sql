-- Credfolio schema, version 4: a local trust store of issuers' keys.
-- Shipped migrations never change: add a new file v0005_… for any later change.

-- A public key trusted for an issuer (an Open Badges issuer's id, a VC's
-- issuer, a did:web added by hand): a signature that checks with one of
-- them is "verified". The key is kept as given, PEM or JWK.
CREATE TABLE issuer_key (
    id         INTEGER PRIMARY KEY,
    issuer_id  TEXT NOT NULL CHECK (length(issuer_id) BETWEEN 1 AND 2000),
    key_text   TEXT NOT NULL CHECK (length(key_text) BETWEEN 1 AND 20000),
    kind       TEXT NOT NULL CHECK (kind IN ('RSA', 'EC P-256', 'Ed25519')),
    added_on   TEXT NOT NULL CHECK (date(added_on) IS added_on),
    UNIQUE (issuer_id, key_text)
) STRICT;
