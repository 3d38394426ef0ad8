"""gunicorn for Pingyi: `gunicorn -c deploy/gunicorn.conf.py pingyi.wsgi` (the systemd unit and compose use it).

Workers come from WEB_CONCURRENCY, the variable gunicorn itself reads and `check --deploy` reads too
(pingyi.W001: more than one worker needs REDIS_URL). Sync workers: every page is a short database
round trip; long work goes to Celery.
"""

import os

bind = os.environ.get("PINGYI_BIND", "127.0.0.1:8001")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_class = "sync"
timeout = 60  # a request never legitimately runs this long: the job system takes long work
graceful_timeout = 30
max_requests = 2000  # recycle workers now and then, so a slow leak cannot grow for ever
max_requests_jitter = 200
accesslog = "-"
# The client address as nginx saw it; no query strings (public codes, tokens) in the log.
access_log_format = '%({x-forwarded-for}i)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
forwarded_allow_ips = "127.0.0.1"
# gunicorn's control socket would live in the service user's home, which the unit keeps read-only;
# reloads go through systemd (ExecReload sends HUP).
control_socket_disable = True
