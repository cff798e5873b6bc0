"""Indexes for the inbox, queue and archive on viewflow's task table, newest first.

viewflow's own model declares none for these lists; they are created here, by name, and
dropped again if this migration is reversed.
"""

from django.db import migrations

INDEXES = {
    # The inbox: one person's tasks waiting for them.
    "task_inbox": "(owner_id, status, created DESC, id DESC)",
    # The archive: one person's finished tasks.
    "task_archive": "(owner_id, created DESC, id DESC) WHERE finished IS NOT NULL",
    # The queue: tasks nobody has taken yet.
    "task_queue": "(created DESC, id DESC) WHERE status = 'NEW'",
}


def create(apps, schema_editor):
    table = schema_editor.quote_name("viewflow_task")
    for name, definition in INDEXES.items():
        columns, _, condition = definition.partition(" WHERE ")
        if schema_editor.connection.vendor == "sqlite":
            columns = columns.replace(" DESC", "")  # SQLite reads an index either way
        where = f" WHERE {condition}" if condition else ""
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} {columns}{where}")


def drop(apps, schema_editor):
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("workflows", "0002_dpo_decision_workflow"), ("viewflow", "0015_task_scheduled")]

    operations = [migrations.RunPython(create, drop)]
