"""The newest migration's revision, in a module of its own: the start-up reads the first page
of the list (persistence.first_page) only from a database at this revision, before SQLAlchemy
and Alembic are imported. persistence.migrate.SCHEMA_HEAD is this value."""

SCHEMA_HEAD = "0023"
