"""Give the role Casework runs as what it needs, and no more (PostgreSQL).

Run as the role that owns the tables, after every ``migrate``. Casework itself then runs
as the app role, which may read and write rows but owns nothing: it cannot disable or drop
the append-only triggers, alter a table, or TRUNCATE, and may not change or delete audit
events at all, nor change an issued letter (the triggers refuse those to the owner too).
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

APPEND_ONLY = ("casework_auditevent", "casework_letter")


class Command(BaseCommand):
    help = "Grant the app database role row access to Casework's tables (run as the owner)."

    def add_arguments(self, parser):
        parser.add_argument("role", help="The role Casework runs as, e.g. casework_app.")

    def handle(self, *args, role, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Database roles are a PostgreSQL matter.")
        quote = connection.ops.quote_name
        app, database = quote(role), quote(connection.settings_dict["NAME"])
        statements = [
            f"GRANT CONNECT ON DATABASE {database} TO {app}",
            f"GRANT USAGE ON SCHEMA public TO {app}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {app}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {app}",
            f"REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM {app}",
            f"REVOKE UPDATE, DELETE ON casework_auditevent FROM {app}",
            f"REVOKE UPDATE ON casework_letter FROM {app}",
        ]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            if cursor.fetchone() is None:
                raise CommandError(f"There is no database role {role!r}: create it first.")
            cursor.execute(
                "SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = %s", [role]
            )
            if cursor.fetchone()[0]:
                raise CommandError(f"{role!r} is a superuser: Casework must not run as one.")
            cursor.execute(
                "SELECT tableowner = %s FROM pg_tables WHERE tablename = 'casework_auditevent'",
                [role],
            )
            owns = cursor.fetchone()
            if owns and owns[0]:
                raise CommandError(f"{role!r} owns the tables: run Casework as another role.")
            for statement in statements:
                cursor.execute(statement)
        self.stdout.write(f"{role} may read and write Casework's rows; it owns nothing.")
