"""What the database raises when it cannot be reached."""

from django.db import InterfaceError, OperationalError

# A lost or refused connection (psycopg's errors, as Django wraps them).
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
