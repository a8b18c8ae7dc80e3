"""Stop `make test` with one clear line when PostgreSQL or Redis cannot be reached."""

import os
import sys

import environ
import psycopg
import psycopg.sql
import redis

db = environ.Env.db_url_config(os.environ["DATABASE_URL"])
try:
    with psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"] or None,
        dbname="postgres",
        connect_timeout=3,
        autocommit=True,
    ) as conn:
        # The suite's own database is created by pytest; this one is for
        # `makemigrations --check` and `make bench`.
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]
        ).fetchone()
        if not exists:
            conn.execute(
                psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(db["NAME"]))
            )
except Exception as exc:
    sys.exit(
        f"PostgreSQL is not reachable at {db['HOST']}:{db['PORT'] or 5432} "
        f"({exc.__class__.__name__}). "
        "Start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
        " — or set DATABASE_URL."
    )
try:
    redis.Redis.from_url(os.environ["REDIS_URL"], socket_connect_timeout=3).ping()
except Exception as exc:
    sys.exit(
        f"Redis is not reachable at {os.environ['REDIS_URL']} ({exc.__class__.__name__}). "
        'Start it with: redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" '
        "--appendonly no — or set REDIS_URL."
    )
