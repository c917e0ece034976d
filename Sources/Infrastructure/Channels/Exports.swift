// `SHA256` and `HMACSHA256` moved to HeraldCrypto so the HTTP API can hash keys without depending on the
// channels; re-exported so code that found them in `import HeraldChannels` still does.
@_exported public import HeraldCrypto
