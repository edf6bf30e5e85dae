"""A password hasher for the tests: PBKDF2 with one iteration.

Django's PBKDF2 takes about half a second a password, which the suite pays for every
staff user it makes. The algorithm name stays "pbkdf2_sha256", so that a hash made
here ("pbkdf2_sha256$1$...") also verifies in the gunicorn processes of the browser
and integration tests, which run the production settings: PBKDF2 reads the number of
iterations from the stored hash (an MD5 hash would not verify there).
"""

from __future__ import annotations

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class FastPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    algorithm = "pbkdf2_sha256"
    iterations = 1


PASSWORD_HASHERS = ["tests.hashers.FastPBKDF2PasswordHasher"]
