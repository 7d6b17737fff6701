"""gunicorn settings for production-like runs: `gunicorn -c config/gunicorn.conf.py`."""

import multiprocessing
import os

from gunicorn.http import wsgi

bind = os.environ.get("BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
wsgi_app = "config.wsgi:application"
timeout = 30
graceful_timeout = 20
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_worker_init(worker: object) -> None:
    """Send no ``Server`` header: gunicorn has no setting to turn its banner off.

    A response's first lines come from ``Response.default_headers``; this drops
    the ``Server: gunicorn`` line from them. It runs once in each new worker
    process (forked from the master, which serves nothing).
    """
    default_headers = wsgi.Response.default_headers

    def without_server(self: wsgi.Response) -> list[str]:
        return [
            line
            for line in default_headers(self)
            if not line.lower().startswith("server:")
        ]

    wsgi.Response.default_headers = without_server
