"""What the environment says, read once: the ``env`` reader and the Redis server's URL.

Both ``base`` and ``background`` read them from here, so no settings module imports another
that imports it back.
"""

import environ

env = environ.Env()

REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
