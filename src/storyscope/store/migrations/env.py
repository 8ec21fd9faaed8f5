"""Alembic environment for the storyscope store.

The store runs migrations programmatically: it passes an open connection in
``config.attributes["connection"]`` (inside its own transaction), so this file never
reads an ``alembic.ini`` or configures logging.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from storyscope.store._schema import metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only for `alembic` on the command line
    from sqlalchemy import create_engine

    url = context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("set sqlalchemy.url to run storyscope migrations from the command line")
    with create_engine(url).begin() as conn:
        _run(conn)
else:
    _run(connection)
