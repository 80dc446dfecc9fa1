"""The portal as production runs it: gunicorn, Celery, PostgreSQL, Redis and S3, over HTTP."""
