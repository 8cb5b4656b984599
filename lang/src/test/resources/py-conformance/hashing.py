# Hashing and identifiers: hashlib (no OpenSSL needed), hmac, secrets, uuid
import hashlib
import hmac
import secrets
import uuid

for name in ("md5", "sha1", "sha224", "sha256", "sha384", "sha512", "sha3_256", "sha3_512", "blake2b", "blake2s"):
    print(name, hashlib.new(name, b"abc").hexdigest())
print(hashlib.shake_128(b"abc").hexdigest(16), hashlib.sha256(b"a" * 1000).hexdigest())
h = hashlib.sha256()
for chunk in (b"ab", b"c"):
    h.update(chunk)
print(h.hexdigest() == hashlib.sha256(b"abc").hexdigest(), h.digest_size, h.block_size)
print(hashlib.blake2b(b"x", digest_size=16, key=b"k", person=b"p").hexdigest())
print(hashlib.pbkdf2_hmac("sha256", b"password", b"salt", 1000).hex())
print(hmac.new(b"key", b"message", "sha256").hexdigest(), hmac.compare_digest(b"a", b"a"))
print(len(secrets.token_hex(16)), len(secrets.token_bytes(8)), secrets.choice("a") == "a", 0 <= secrets.randbelow(10) < 10)
print(uuid.uuid5(uuid.NAMESPACE_DNS, "example.org"), uuid.uuid3(uuid.NAMESPACE_URL, "x"), uuid.UUID(int=1).hex)
print(uuid.uuid4().version, len(str(uuid.uuid4())))
