"""`make loadtest`: HTTP load against gunicorn with locust (see run.py)."""
