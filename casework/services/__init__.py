"""Writes. Each service checks who may act, changes the case atomically, records the audit
event and keeps the workflow in step, so no caller can forget any of it."""
