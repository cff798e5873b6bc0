"""What Casework keeps and for how long: the private file store, the retention schedule,
and everything held about one person for a subject access request (with its pages)."""
