"""Stored files on object storage: the same features as on a local folder, against
moto's S3 server over real HTTP (the `s3_storage` fixture in tests/conftest.py)."""
