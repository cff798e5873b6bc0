"""Growing a database to production size, and measuring the pages against it."""
